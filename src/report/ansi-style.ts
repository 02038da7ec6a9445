import type { Severity } from '../domain/index.js';

/** The few styles of the terminal screens; identity functions when colour is off. */
export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
}

const wrap = (open: string, text: string) => `\u001b[${open}m${text}\u001b[0m`;

const SEVERITY_CODES: Record<Severity, string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
};

/** ANSI styles when `colour` is true, plain text otherwise (pipes, NO_COLOR, --json). */
export function textStyle(colour: boolean): TextStyle {
  if (!colour) return { bold: (s) => s, dim: (s) => s, severity: (_v, s) => s };
  return {
    bold: (s) => wrap('1', s),
    dim: (s) => wrap('2', s),
    severity: (v, s) => wrap(SEVERITY_CODES[v], s),
  };
}
