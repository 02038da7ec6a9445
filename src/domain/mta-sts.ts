/**
 * RFC 8461 (MTA-STS) parsers: the `_mta-sts` TXT record and the policy file. Pure: the caller fetches both.
 */
import type { RecordProblem } from './record-problem.js';
import { readTagList } from './tag-list.js';

export type MtaStsMode = 'enforce' | 'testing' | 'none';

export interface ParsedMtaStsRecord {
  /** id=, when valid. */
  id?: string;
  /** Empty when the record is valid. */
  problems: RecordProblem[];
}

export interface MtaStsPolicy {
  /** version: as published. */
  version?: string;
  /** mode:, when valid. */
  mode?: MtaStsMode;
  /** max_age: in seconds, when valid. */
  maxAge?: number;
  /** mx: patterns as published, in order. */
  mx: string[];
  /** Empty when the policy is valid. */
  problems: RecordProblem[];
}

/** RFC 8461 §3.2: a year and a bit. */
export const MTA_STS_MAX_AGE_LIMIT = 31_557_600;

const VERSION = /^v=STSv1\s*(?:;|$)/;
const ID = /^[A-Za-z0-9]{1,32}$/;
/** §3.1 sts-ext-name; field names are case-sensitive. */
const FIELD_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const MODES: readonly string[] = ['enforce', 'testing', 'none'];
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const MX_PATTERN = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
const SINGLE_FIELDS = ['version', 'mode', 'max_age'];

/** True for a TXT record that is an MTA-STS record (`v=STSv1` first). */
export function isMtaStsRecord(txt: string): boolean {
  return VERSION.test(txt);
}

/** Parses the `_mta-sts` TXT record: `v=STSv1` first, then a required `id=` of 1–32 alphanumerics. */
export function parseMtaStsRecord(txt: string): ParsedMtaStsRecord {
  const { tags, problems } = readTagList(txt, {
    name: FIELD_NAME,
    strictSpacing: true,
    version: { value: 'STSv1' },
  });
  const idTag = tags.get('id');
  let id: string | undefined;
  if (idTag !== undefined) {
    if (ID.test(idTag.value)) id = idTag.value;
    else problems.push({ code: 'invalid-id', term: idTag.raw });
  }
  if (idTag === undefined) problems.push({ code: 'missing-id', term: '' });
  return { ...(id === undefined ? {} : { id }), problems };
}

/** Parses a policy file (`key: value` lines, LF or CRLF); unknown keys are ignored. */
export function parseMtaStsPolicy(body: string): MtaStsPolicy {
  const problems: RecordProblem[] = [];
  const fields = new Map<string, { value: string; raw: string }>();
  const mx: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const raw = line.trim();
    if (raw === '') continue;
    const colon = raw.indexOf(':');
    const key = colon < 0 ? '' : raw.slice(0, colon).trim();
    if (!FIELD_NAME.test(key)) {
      problems.push({ code: 'invalid-line', term: raw });
      continue;
    }
    const value = raw.slice(colon + 1).trim();
    if (key === 'mx') {
      mx.push(value);
      if (!MX_PATTERN.test(value)) problems.push({ code: 'invalid-mx', term: raw });
    } else if (SINGLE_FIELDS.includes(key)) {
      if (fields.has(key)) problems.push({ code: 'duplicate-field', term: raw });
      else fields.set(key, { value, raw });
    }
  }

  const version = fields.get('version');
  if (version === undefined) problems.push({ code: 'missing-version', term: '' });
  else if (version.value !== 'STSv1') problems.push({ code: 'invalid-version', term: version.raw });

  const modeField = fields.get('mode');
  const mode = modeField !== undefined && MODES.includes(modeField.value) ? modeField.value : undefined;
  if (modeField === undefined) problems.push({ code: 'missing-mode', term: '' });
  else if (mode === undefined) problems.push({ code: 'invalid-mode', term: modeField.raw });

  const maxAgeField = fields.get('max_age');
  let maxAge: number | undefined;
  if (maxAgeField === undefined) problems.push({ code: 'missing-max-age', term: '' });
  else if (/^\d{1,10}$/.test(maxAgeField.value) && Number(maxAgeField.value) <= MTA_STS_MAX_AGE_LIMIT)
    maxAge = Number(maxAgeField.value);
  else problems.push({ code: 'invalid-max-age', term: maxAgeField.raw });

  if (mx.length === 0 && mode !== 'none') problems.push({ code: 'missing-mx', term: '' });

  return {
    ...(version === undefined ? {} : { version: version.value }),
    ...(mode === undefined ? {} : { mode: mode as MtaStsMode }),
    ...(maxAge === undefined ? {} : { maxAge }),
    mx,
    problems,
  };
}

/**
 * RFC 8461 §4.1: whether an MX host matches a policy `mx` pattern. Case-insensitive, trailing dots
 * ignored; `*.example.net` matches exactly one extra leftmost label.
 */
export function mxMatchesPattern(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (h === '' || p === '') return false;
  if (!p.startsWith('*.')) return h === p;
  const suffix = p.slice(1);
  if (!h.endsWith(suffix)) return false;
  const first = h.slice(0, h.length - suffix.length);
  return first !== '' && !first.includes('.');
}
