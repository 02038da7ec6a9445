/** Process exit codes: a contract documented in the README. */
export const ExitCode = {
  Ok: 0,
  FindingsAtThreshold: 1,
  Usage: 2,
  InvalidInput: 3,
  Operational: 4,
  Internal: 10,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
