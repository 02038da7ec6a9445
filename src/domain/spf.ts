/**
 * RFC 7208 (SPF) record parser. Pure: syntax only, no DNS; the caller resolves includes and redirects.
 */
import type { RecordProblem } from './record-problem.js';

/** RFC 7208 §4.6.4: at most 10 DNS-querying terms per evaluation. */
export const SPF_LOOKUP_LIMIT = 10;

export type SpfQualifier = '+' | '-' | '~' | '?';

export interface SpfTerm {
  kind: 'mechanism' | 'modifier';
  /** `+` when none is written (and for modifiers). */
  qualifier: SpfQualifier;
  /** Lower-case mechanism or modifier name; '' when the term has none. */
  name: string;
  /** What follows the name, without the `:` or `=` separator (`192.0.2.0/24`, `/24` for `a/24`). */
  value?: string;
  /** The term as published. */
  raw: string;
}

export interface ParsedSpf {
  terms: SpfTerm[];
  /** Qualifier of the (first) `all` mechanism. */
  all?: SpfQualifier;
  /** Domain-spec of the (first) redirect= modifier. */
  redirect?: string;
  /** Domain-specs of the include: mechanisms, in order. */
  includes: string[];
  /**
   * Terms that cost a DNS lookup (§4.6.4), in evaluation order: mechanisms before the first `all`
   * (those after it are never tested, §5.1), then redirect when no `all` makes it ignored (§6.1).
   */
  lookupTerms: SpfTerm[];
  /** Empty when the record is syntactically valid. */
  problems: RecordProblem[];
}

const VERSION = /^v=spf1(?: |$)/i;
const QUALIFIERS = new Set<string>(['+', '-', '~', '?']);
const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
const LOOKUP_MECHANISMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);
const NAME = /^[A-Za-z][A-Za-z0-9._-]*/;
/** `%{` macro-letter transformers *delimiter `}`; c, r, t are for exp text only (§7.2). */
const MACRO_EXPAND = /^%\{[slodiphv]\d*r?[.\-+,/_=]*\}/i;
const TOPLABEL = /^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$/;
const QNUM = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IP4 = new RegExp(`^${QNUM}(?:\\.${QNUM}){3}$`);
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const CIDR = /^(?:0|[1-9]\d{0,2})$/;
/** §4.6.1: terms are separated by SP only; any other space or control character breaks the record. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const BAD_SEPARATOR = /[\x00-\x1f\x7f\p{Zs}]/u;
/** §5.3, §5.4: a CIDR length is only what ends the argument; a domain-spec may hold `/` and `:`. */
const TRAILING_CIDR = /(?:\/\d+)?(?:\/\/\d+)?$/;
const ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** True for a TXT record that is an SPF record (`v=spf1` then a space or nothing). */
export function isSpfRecord(txt: string): boolean {
  return VERSION.test(txt);
}

/** RFC 7208 ip4-network: four decimal octets without leading zeros. */
function isIp4(s: string): boolean {
  return IP4.test(s);
}

/** RFC 4291 §2.2 text form, `::` compression and a dotted IPv4 tail included. */
function isIp6(s: string): boolean {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return false;
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIp4(tail)) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string | undefined): string[] => (h === undefined || h === '' ? [] : h.split(':'));
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  if (![...left, ...right].every((g) => HEX_GROUP.test(g))) return false;
  const count = left.length + right.length;
  return halves.length === 2 ? count <= 7 : count === 8;
}

interface ExpandedMacros {
  /** The string with every macro-expand replaced by `x`. */
  text: string;
  /** Whether the string ends with a macro-expand (a valid domain-end, §7.1). */
  endsWithMacro: boolean;
}

/** Checks the macros of a macro-string (§7.1); undefined when a `%` is misused. */
function expandMacros(s: string): ExpandedMacros | undefined {
  let text = '';
  let endsWithMacro = false;
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    endsWithMacro = c === '%';
    if (c !== '%') {
      text += c;
      i++;
      continue;
    }
    const next = s.charAt(i + 1);
    const length =
      next === '%' || next === '_' || next === '-' ? 2 : MACRO_EXPAND.exec(s.slice(i))?.[0].length;
    if (length === undefined) return undefined;
    text += 'x';
    i += length;
  }
  return { text, endsWithMacro };
}

/** Validates a domain-spec (§7.1); returns the problem code, or undefined when valid. */
function domainSpecProblem(spec: string): string | undefined {
  if (spec === '') return 'missing-argument';
  if (!/^[\x21-\x7e]+$/.test(spec)) return 'invalid-domain';
  const expanded = expandMacros(spec);
  if (expanded === undefined) return 'invalid-macro';
  const labels = expanded.text.replace(/\.$/, '').split('.');
  if (labels.some((l) => l === '' || l.length > 63) || expanded.text.length > 253) return 'invalid-domain';
  if (expanded.endsWithMacro) return undefined;
  // domain-end = "." toplabel ["."]: at least two labels, the last one not all-numeric.
  const top = spec.replace(/\.$/, '').split('.');
  const last = top[top.length - 1] ?? '';
  return top.length >= 2 && TOPLABEL.test(last) ? undefined : 'invalid-domain';
}

/** Validates `/cidr` (and `//cidr6` when dual) as written after a/mx/ip4/ip6. */
function cidrValid(text: string, max4: number, dual: boolean): boolean {
  if (text === '') return true;
  const m = dual ? /^(?:\/([^/]*))?(?:\/\/([^/]*))?$/.exec(text) : /^\/([^/]*)$/.exec(text);
  if (!m) return false;
  const ok = (v: string | undefined, max: number): boolean =>
    v === undefined || (CIDR.test(v) && Number(v) <= max);
  return ok(m[1], max4) && ok(m[2], 128);
}

/** Splits `domain-spec/cidr//cidr6` before its trailing CIDR lengths (`/N`, `//N` or `/N//M`). */
function splitCidr(arg: string): [string, string] {
  const at = TRAILING_CIDR.exec(arg)?.index ?? arg.length;
  return [arg.slice(0, at), arg.slice(at)];
}

/** The term with its spaces and control characters made visible (`\r`, `\xa0`…). */
function visible(s: string): string {
  return s.replace(new RegExp(BAD_SEPARATOR.source, 'gu'), (c) => {
    const code = c.codePointAt(0) ?? 0;
    return (
      ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`)
    );
  });
}

/**
 * The domain-spec a term names: that of include, a, mx, ptr, exists, redirect and exp, without the
 * CIDR lengths of a and mx (`foo:bar/baz.example.com` for `a:foo:bar/baz.example.com/24`); undefined
 * when none is written (`a`, `mx/24`: the current domain).
 */
export function spfDomainSpec(term: SpfTerm): string | undefined {
  if (term.kind === 'modifier') {
    return (term.name === 'redirect' || term.name === 'exp') && term.value ? term.value : undefined;
  }
  const rest = QUALIFIERS.has(term.raw.charAt(0)) ? term.raw.slice(1) : term.raw;
  const arg = rest.slice(term.name.length);
  if (!arg.startsWith(':') || arg === ':') return undefined;
  const body = arg.slice(1);
  if (term.name === 'a' || term.name === 'mx') return splitCidr(body)[0] || undefined;
  return term.name === 'include' || term.name === 'exists' || term.name === 'ptr' ? body : undefined;
}

/** Problem code of a mechanism's argument (the text after its name), or undefined. */
function mechanismProblem(name: string, arg: string): string | undefined {
  switch (name) {
    case 'all':
      return arg === '' ? undefined : 'unexpected-argument';
    case 'include':
    case 'exists':
      return arg.startsWith(':') ? domainSpecProblem(arg.slice(1)) : missingOrUnexpected(arg);
    case 'ptr':
      if (arg === '') return undefined;
      return arg.startsWith(':') ? domainSpecProblem(arg.slice(1)) : 'unexpected-argument';
    case 'a':
    case 'mx': {
      if (arg === '' || arg.startsWith('/')) return cidrValid(arg, 32, true) ? undefined : 'invalid-cidr';
      if (!arg.startsWith(':')) return 'unexpected-argument';
      const [domain, cidr] = splitCidr(arg.slice(1));
      return domainSpecProblem(domain) ?? (cidrValid(cidr, 32, true) ? undefined : 'invalid-cidr');
    }
    case 'ip4':
    case 'ip6': {
      if (!arg.startsWith(':')) return missingOrUnexpected(arg);
      const body = arg.slice(1);
      if (body === '') return 'missing-argument';
      const slash = body.indexOf('/');
      const address = slash < 0 ? body : body.slice(0, slash);
      const cidr = slash < 0 ? '' : body.slice(slash);
      if (name === 'ip4' ? !isIp4(address) : !isIp6(address)) return `invalid-${name}`;
      return cidrValid(cidr, name === 'ip4' ? 32 : 128, false) ? undefined : 'invalid-cidr';
    }
    default:
      return 'unknown-mechanism';
  }
}

function missingOrUnexpected(arg: string): string {
  return arg === '' ? 'missing-argument' : 'unexpected-argument';
}

/** Parses one term (not the version); pushes its problems. */
function parseTerm(raw: string, problems: RecordProblem[]): SpfTerm {
  if (BAD_SEPARATOR.test(raw)) {
    problems.push({ code: 'invalid-separator', term: visible(raw) });
    return { kind: 'mechanism', qualifier: '+', name: '', raw };
  }
  const modifier = /^([A-Za-z][A-Za-z0-9._-]*)=(.*)$/.exec(raw);
  if (modifier) {
    const name = (modifier[1] ?? '').toLowerCase();
    const value = modifier[2] ?? '';
    let code: string | undefined;
    if (name === 'redirect' || name === 'exp') code = domainSpecProblem(value);
    else if (!/^[\x21-\x7e]*$/.test(value)) code = 'invalid-modifier';
    else if (expandMacros(value) === undefined) code = 'invalid-macro';
    if (code !== undefined) problems.push({ code, term: raw });
    return { kind: 'modifier', qualifier: '+', name, value, raw };
  }
  const first = raw.charAt(0);
  const qualifier = (QUALIFIERS.has(first) ? first : '+') as SpfQualifier;
  const rest = QUALIFIERS.has(first) ? raw.slice(1) : raw;
  const nameMatch = NAME.exec(rest);
  if (!nameMatch) {
    problems.push({ code: 'invalid-term', term: raw });
    return { kind: 'mechanism', qualifier, name: '', raw };
  }
  const name = nameMatch[0].toLowerCase();
  const arg = rest.slice(nameMatch[0].length);
  const value = arg.startsWith(':') || arg.startsWith('=') ? arg.slice(1) : arg;
  const term: SpfTerm = { kind: 'mechanism', qualifier, name, ...(arg === '' ? {} : { value }), raw };
  if (arg.startsWith('=')) {
    // A qualifier in front of a modifier (`-redirect=…`).
    problems.push({ code: 'invalid-modifier', term: raw });
    return { ...term, kind: 'modifier' };
  }
  const code = MECHANISMS.has(name) ? mechanismProblem(name, arg) : 'unknown-mechanism';
  if (code !== undefined) problems.push({ code, term: raw });
  return term;
}

/** Parses an SPF record; problems list every syntax error (a permerror for receivers). */
export function parseSpf(txt: string): ParsedSpf {
  const problems: RecordProblem[] = [];
  // §4.6.1: record = version terms *SP, terms = *( 1*SP ( directive / modifier ) ).
  const tokens = txt.split(' ').filter((t) => t !== '');
  const version = tokens[0];
  if (version !== undefined && /^v=/i.test(version)) {
    tokens.shift();
    if (BAD_SEPARATOR.test(version)) problems.push({ code: 'invalid-separator', term: visible(version) });
    else if (version.toLowerCase() !== 'v=spf1') problems.push({ code: 'invalid-version', term: version });
  } else problems.push({ code: 'missing-version', term: '' });

  const terms: SpfTerm[] = [];
  const includes: string[] = [];
  const lookupTerms: SpfTerm[] = [];
  let all: SpfQualifier | undefined;
  let redirectTerm: SpfTerm | undefined;
  let expSeen = false;
  for (const raw of tokens) {
    const term = parseTerm(raw, problems);
    terms.push(term);
    if (term.kind === 'mechanism') {
      if (LOOKUP_MECHANISMS.has(term.name) && all === undefined) lookupTerms.push(term);
      if (term.name === 'include' && term.value) includes.push(term.value);
      if (term.name === 'all' && all === undefined) all = term.qualifier;
    } else if (QUALIFIERS.has(raw.charAt(0))) {
      // A qualified modifier, already reported: neither a redirect nor an exp.
    } else if (term.name === 'redirect') {
      if (redirectTerm === undefined) redirectTerm = term;
      else problems.push({ code: 'duplicate-modifier', term: raw });
    } else if (term.name === 'exp') {
      if (expSeen) problems.push({ code: 'duplicate-modifier', term: raw });
      expSeen = true;
    }
  }
  if (redirectTerm !== undefined && all === undefined) lookupTerms.push(redirectTerm);
  return {
    terms,
    ...(all === undefined ? {} : { all }),
    ...(redirectTerm?.value ? { redirect: redirectTerm.value } : {}),
    includes,
    lookupTerms,
    problems,
  };
}
