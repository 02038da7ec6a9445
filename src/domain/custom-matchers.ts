import { RE2JS } from 're2js';
import type { HttpMatcher, HttpRule, TcpMatcher, TcpRule } from './custom-check.js';
import type { EvidenceParams } from './finding.js';
import { headerValues, type HttpResponseFacts } from './http.js';

/** A body is matched on its first 256 KiB only (bounded work per regex, whatever the probe's limit). */
export const MAX_MATCHED_BODY_CHARS = 256 * 1024;
/** Header values and banners are matched on their first 16 KiB. */
export const MAX_MATCHED_TEXT_CHARS = 16 * 1024;
/** Longest regex source accepted in a custom check. */
export const MAX_REGEX_LENGTH = 512;
/** Longest banner excerpt put in evidence. */
const BANNER_EVIDENCE_CHARS = 120;

/** What a rule concluded: `evidence` fills the check's template; `unmatched` names the first matcher that failed. */
export interface CustomMatchResult {
  matched: boolean;
  evidence: EvidenceParams;
  unmatched?: string;
}

const regexCache = new Map<string, RE2JS>();

/**
 * The compiled form of a custom check's regex, compiled once per process (loading a check compiles
 * it, through `customRegexProblem`). The engine is RE2's (re2js, pure JavaScript): matching takes
 * time linear in the text, whatever the expression, so a hostile page or banner cannot make a scan
 * hang. Case-sensitive, no flags. Loading a check rejects a regex that does not compile, so this
 * never throws for a loaded check.
 */
export function customRegex(source: string): RE2JS {
  let regex = regexCache.get(source);
  if (regex === undefined) {
    regex = RE2JS.compile(source);
    regexCache.set(source, regex);
  }
  return regex;
}

/** What RE2 refuses that JavaScript accepts, in words, from the parser's message and the source. */
function unsupported(source: string, message: string): string | undefined {
  if (/\\(?:[1-9]|k<)/.test(source) && /escape|back ?reference/i.test(message))
    return 'référence arrière (\\1, \\k<nom>) non prise en charge : vigie emploie un moteur en temps linéaire (syntaxe RE2)';
  if (/\(\?<?[=!]/.test(source))
    return 'assertion avant ou arrière ((?=…), (?!…), (?<=…), (?<!…)) non prise en charge : vigie emploie un moteur en temps linéaire (syntaxe RE2)';
  return undefined;
}

/**
 * Why a regex is refused in a custom check, or undefined when it is accepted (and then compiled):
 * it must stay short and be valid RE2 syntax — no backreference nor lookaround, the features that
 * need backtracking. With RE2 matching is linear, so `^(a|a)*$` or `(a+)+` cost no more than any
 * other expression; inputs are bounded too.
 */
export function customRegexProblem(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH)
    return `expression régulière trop longue (${source.length} caractères, au plus ${MAX_REGEX_LENGTH})`;
  try {
    customRegex(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return unsupported(source, message) ?? `expression régulière invalide (syntaxe RE2) : ${message}`;
  }
  return undefined;
}

const quote = (text: string): string => JSON.stringify(text);

function describeHttp(matcher: HttpMatcher): string {
  if ('status' in matcher) return `status ${matcher.status.join('|')}`;
  if ('body' in matcher)
    return 'contains' in matcher.body
      ? `body contains ${quote(matcher.body.contains)}`
      : `body matches /${matcher.body.regex}/`;
  if ('present' in matcher) return `header ${matcher.header.toLowerCase()} present`;
  if ('absent' in matcher) return `header ${matcher.header.toLowerCase()} absent`;
  return `header ${matcher.header.toLowerCase()} matches /${matcher.matches}/`;
}

function holdsHttp(matcher: HttpMatcher, response: HttpResponseFacts, body: string): boolean {
  if ('status' in matcher) return matcher.status.includes(response.status);
  if ('body' in matcher)
    return 'contains' in matcher.body
      ? body.includes(matcher.body.contains)
      : customRegex(matcher.body.regex).test(body);
  const values = headerValues(response, matcher.header);
  if ('present' in matcher) return values.length > 0;
  if ('absent' in matcher) return values.length === 0;
  const regex = customRegex(matcher.matches);
  return values.some((value) => regex.test(value.slice(0, MAX_MATCHED_TEXT_CHARS)));
}

/** Whether an HTTP response raises a custom check: all matchers hold. Pure. */
export function matchHttp(rule: HttpRule, response: HttpResponseFacts): CustomMatchResult {
  const body = response.body.slice(0, MAX_MATCHED_BODY_CHARS);
  const evidence = { path: rule.path, status: response.status, url: response.url };
  const held: string[] = [];
  for (const matcher of rule.matchers) {
    if (!holdsHttp(matcher, response, body))
      return {
        matched: false,
        evidence: { ...evidence, matched: held.join('; ') },
        unmatched: describeHttp(matcher),
      };
    held.push(describeHttp(matcher));
  }
  return { matched: true, evidence: { ...evidence, matched: held.join('; ') } };
}

function describeTcp(matcher: TcpMatcher): string {
  return 'contains' in matcher.banner
    ? `banner contains ${quote(matcher.banner.contains)}`
    : `banner matches /${matcher.banner.regex}/`;
}

const NAMED_CONTROLS: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };

/** A control character as an escape (`\r`, `\x00`); any other character as is. */
function escapeControl(char: string): string {
  const code = char.charCodeAt(0);
  if (code >= 0x20 && code !== 0x7f) return char;
  return NAMED_CONTROLS[char] ?? `\\x${code.toString(16).padStart(2, '0')}`;
}

/** A readable excerpt of what the server sent: control characters escaped, bounded. */
export function bannerExcerpt(received: string): string {
  const shown = [...received.slice(0, BANNER_EVIDENCE_CHARS)].map(escapeControl).join('');
  return received.length > BANNER_EVIDENCE_CHARS ? `${shown}…` : shown;
}

/** Whether what a TCP service sent raises a custom check: all matchers hold. Pure. */
export function matchTcp(rule: TcpRule, received: string): CustomMatchResult {
  const text = received.slice(0, MAX_MATCHED_TEXT_CHARS);
  const evidence = { port: rule.port, banner: bannerExcerpt(received) };
  const held: string[] = [];
  for (const matcher of rule.matchers) {
    const holds =
      'contains' in matcher.banner
        ? text.includes(matcher.banner.contains)
        : customRegex(matcher.banner.regex).test(text);
    if (!holds)
      return {
        matched: false,
        evidence: { ...evidence, matched: held.join('; ') },
        unmatched: describeTcp(matcher),
      };
    held.push(describeTcp(matcher));
  }
  return { matched: true, evidence: { ...evidence, matched: held.join('; ') } };
}
