import type { CheckText } from './catalogue.js';

/**
 * Custom declarative checks: users add a check without code, as data (a YAML file in
 * `checks/custom/` or in a directory named in `vigie.yml`). The matchers are a small closed set,
 * implemented in TypeScript (src/domain/custom-matchers.ts): no expression language.
 */

/** One condition on an HTTP response; a rule raises its finding when all its matchers hold. */
export type HttpMatcher =
  | { status: number[] }
  | { header: string; present: true }
  | { header: string; absent: true }
  /** Header name case-insensitive; the regex is tried on each value of the header. */
  | { header: string; matches: string }
  | { body: { contains: string } }
  | { body: { regex: string } };

export interface HttpRule {
  /** Path (and query) requested, starting with `/`. */
  path: string;
  /** Which web endpoints the request is sent to (default `https`). */
  scheme: 'https' | 'http' | 'both';
  /** All must match to raise the finding. */
  matchers: HttpMatcher[];
}

export type TcpMatcher = { banner: { contains: string } } | { banner: { regex: string } };

export interface TcpRule {
  port: number;
  /** Text sent after connecting, with `\r`, `\n`, `\t`, `\0`, `\\` and `\xNN` escapes (see `decodeSendText`). */
  send?: string;
  /** All must match what the server sent to raise the finding. */
  matchers: TcpMatcher[];
}

/** A sample response for an HTTP check's cases (status 200, no header and an empty body by default). */
export interface HttpSample {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface TcpSample {
  banner: string;
}

/** Like Semgrep rule tests: samples that must raise the finding, and samples that must not. */
export interface CustomCheckCases<S> {
  match: S[];
  noMatch: S[];
}

/** The evidence template may use `{path}`, `{status}`, `{url}`, `{matched}` / `{port}`, `{banner}`, `{matched}`. */
interface CustomCheckBase extends CheckText {
  /** `custom.<name>[.<name>…]`: the namespace keeps custom IDs apart from built-in ones. */
  id: string;
  /** The file the check was read from. */
  file: string;
}

export type CustomCheck = CustomCheckBase &
  (
    | { kind: 'http'; http: HttpRule; cases: CustomCheckCases<HttpSample> }
    | { kind: 'tcp'; tcp: TcpRule; cases: CustomCheckCases<TcpSample> }
  );

export type HttpCustomCheck = Extract<CustomCheck, { kind: 'http' }>;
export type TcpCustomCheck = Extract<CustomCheck, { kind: 'tcp' }>;

/** Evidence parameters a custom check's templates may use, by kind. */
export const CUSTOM_EVIDENCE_PARAMS = {
  http: ['path', 'status', 'url', 'matched'],
  tcp: ['port', 'banner', 'matched'],
} as const satisfies Record<CustomCheck['kind'], readonly string[]>;

/** Escapes accepted in `tcp.send`. */
const SIMPLE_ESCAPES: Record<string, number> = { r: 0x0d, n: 0x0a, t: 0x09, '0': 0x00, '\\': 0x5c };

/**
 * The bytes of a `tcp.send` text: literal text as UTF-8, `\r` `\n` `\t` `\0` `\\` and `\xNN`
 * (one byte). Any other escape is an error, reported when the check is loaded.
 */
export function decodeSendText(send: string): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const out: number[] = [];
  const encoder = new TextEncoder();
  let literal = '';
  const flush = (): void => {
    if (literal) out.push(...encoder.encode(literal));
    literal = '';
  };
  for (let i = 0; i < send.length; i++) {
    const char = send[i] ?? '';
    if (char !== '\\') {
      literal += char;
      continue;
    }
    const next = send[i + 1];
    if (next === undefined) return { ok: false, error: 'barre oblique inverse finale sans séquence' };
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      flush();
      out.push(simple);
      i += 1;
    } else if (next === 'x') {
      const hex = send.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        return { ok: false, error: `séquence « \\x${hex} » invalide : deux chiffres hexadécimaux attendus` };
      flush();
      out.push(parseInt(hex, 16));
      i += 3;
    } else {
      return {
        ok: false,
        error: `séquence « \\${next} » inconnue (acceptées : \\r \\n \\t \\0 \\\\ \\xNN)`,
      };
    }
  }
  flush();
  return { ok: true, bytes: Uint8Array.from(out) };
}
