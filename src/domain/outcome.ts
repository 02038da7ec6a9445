import type { LocalText } from './errors.js';

/**
 * Why an observation could not be made. "Could not tell" is never a pass: every probe ends as
 * observed, error (with one of these reasons) or skipped.
 */
export const ERROR_REASONS = [
  'unreachable',
  'refused',
  'dns',
  'timeout',
  'reset',
  'handshake-failed',
  'protocol-error',
  /** An HTTP page redirected more times than the probe follows (a loop, or a chain too long). */
  'too-many-redirects',
  'internal',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export type Outcome<T> =
  | { status: 'observed'; value: T }
  /** `detail` in French; `text`, when given, the same as a catalogue message (rendered where it is shown). */
  | { status: 'error'; reason: ErrorReason; detail: string; text?: LocalText }
  | { status: 'skipped'; because: string };

export const observed = <T>(value: T): Outcome<T> => ({ status: 'observed', value });
export const failed = <T = never>(reason: ErrorReason, detail: string | LocalText): Outcome<T> =>
  typeof detail === 'string'
    ? { status: 'error', reason, detail }
    : { status: 'error', reason, detail: detail.fallback, text: detail };
export const skipped = <T = never>(because: string): Outcome<T> => ({ status: 'skipped', because });

/**
 * An OpenSSL error message without what changes from one process to the next (the thread id that
 * prefixes it, the source file and line that end it): `SSL routines:…:excessive message size`. Keeps
 * a finding's evidence — and so its waiver — stable across runs.
 */
export function stableErrorText(message: string): string {
  return message
    .replace(/\b[0-9A-F]{8,16}:error:[0-9A-F]{8}:/g, '')
    .replace(/:[^:\s]*\.c:\d+:\s*$/, '')
    .trim();
}
