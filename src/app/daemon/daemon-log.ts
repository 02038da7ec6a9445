/** One structured log event of the daemon; `at` is added when it is written. */
export interface DaemonEvent {
  level: 'info' | 'warn' | 'error';
  event: string;
  [field: string]: unknown;
}

export type DaemonLog = (event: DaemonEvent) => void;

/** Environment variables whose values never appear in a log line. */
export const SECRET_VARIABLES = ['VIGIE_SMTP_PASSWORD', 'VIGIE_GITHUB_TOKEN'] as const;

export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return SECRET_VARIABLES.map((name) => env[name]).filter((v): v is string => v !== undefined && v !== '');
}

/** Replaces every occurrence of each secret in every string of `value` (deeply) by `***`. */
export function redactSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') {
    return secrets.reduce((text, secret) => text.split(secret).join('***'), value);
  }
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, secrets));
  if (value instanceof Error) return redactSecrets(value.message, secrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, secrets)]));
  }
  return value;
}

/** One JSON line `{ "at", "level", "event", … }` with the secrets redacted. */
export function formatLogLine(event: DaemonEvent, at: Date, secrets: readonly string[]): string {
  return JSON.stringify(redactSecrets({ at: at.toISOString(), ...event }, secrets));
}

/** A logger writing JSON lines (to stdout by default). */
export function jsonLineLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  options: { secrets?: readonly string[]; now?: () => Date } = {},
): DaemonLog {
  const secrets = options.secrets ?? secretsFromEnv();
  const now = options.now ?? (() => new Date());
  return (event) => write(formatLogLine(event, now(), secrets));
}
