/**
 * RFC 7489 (DMARC) record parser. Pure: syntax only; the caller fetches `_dmarc.<domain>`.
 */
import type { RecordProblem } from './record-problem.js';
import { readTagList } from './tag-list.js';

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface ParsedDmarc {
  /** Tags by lower-case name, values trimmed; the first occurrence when a tag is repeated. */
  tags: Record<string, string>;
  /** p=, when valid. */
  policy?: DmarcPolicy;
  /** sp= as published, when valid; absent means p applies to subdomains. */
  subdomainPolicy?: DmarcPolicy;
  /** pct=, 100 when absent or invalid. */
  pct: number;
  /** rua= entries as published (trimmed), valid or not. */
  rua: string[];
  /** ruf= entries as published (trimmed), valid or not. */
  ruf: string[];
  /** Empty when the record is valid. */
  problems: RecordProblem[];
}

/** The tag name is case-insensitive, the value DMARC1 is not (RFC 7489 §6.4, %x44 %x4d …). */
const VERSION = /^\s*[vV]\s*=\s*DMARC1\s*(?:;|$)/;
const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^(?:${LABEL}\\.)+${LABEL}\\.?$`);
/** Local part of an address in a mailto: URI (RFC 6068): no separators, `!` must be percent-encoded. */
const LOCAL_PART = /^[A-Za-z0-9.#$%&'*+/=^_`{|}~-]+$/;

/** True for a TXT record that is a DMARC record (`v=DMARC1` first, then `;` or nothing). */
export function isDmarcRecord(txt: string): boolean {
  return VERSION.test(txt);
}

/** True for `user@host.example` as found in a mailto: URI (RFC 6068), percent-encoding allowed. */
export function isMailtoAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  return LOCAL_PART.test(local) && HOSTNAME.test(address.slice(at + 1));
}

/** A DMARC report URI: `mailto:` with a valid address and an optional `!size[kmgt]` (§6.4). */
function isDmarcUri(uri: string): boolean {
  const m = /^mailto:([^!]*)(?:!\d+[kmgt]?)?$/i.exec(uri);
  return m !== null && isMailtoAddress(m[1] ?? '');
}

function asPolicy(value: string): DmarcPolicy | undefined {
  const lower = value.toLowerCase();
  return POLICIES.includes(lower) ? (lower as DmarcPolicy) : undefined;
}

/** Parses a DMARC record; unknown tags are kept in `tags` and are not problems. */
export function parseDmarc(txt: string): ParsedDmarc {
  const list = readTagList(txt, { name: TAG_NAME, lowerCaseNames: true, version: { value: 'DMARC1' } });
  const { problems } = list;
  const tags: Record<string, string> = Object.fromEntries([...list.tags].map(([n, t]) => [n, t.value]));
  const raws: Record<string, string> = Object.fromEntries([...list.tags].map(([n, t]) => [n, t.raw]));

  const policyTag = (name: string, code: string): DmarcPolicy | undefined => {
    const value = tags[name];
    if (value === undefined) return undefined;
    const policy = asPolicy(value);
    if (policy === undefined) problems.push({ code, term: raws[name] ?? '' });
    return policy;
  };
  const policy = policyTag('p', 'invalid-policy');
  if (tags['p'] === undefined) problems.push({ code: 'missing-policy', term: '' });
  const subdomainPolicy = policyTag('sp', 'invalid-subdomain-policy');

  let pct = 100;
  const pctValue = tags['pct'];
  if (pctValue !== undefined) {
    if (/^\d{1,3}$/.test(pctValue) && Number(pctValue) <= 100) pct = Number(pctValue);
    else problems.push({ code: 'invalid-pct', term: raws['pct'] ?? '' });
  }
  for (const name of ['adkim', 'aspf']) {
    const value = tags[name];
    if (value !== undefined && !/^[rs]$/i.test(value))
      problems.push({ code: 'invalid-alignment', term: raws[name] ?? '' });
  }

  const uris = (name: 'rua' | 'ruf'): string[] => {
    const value = tags[name];
    if (value === undefined) return [];
    const entries = value
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    if (entries.length === 0) problems.push({ code: `invalid-${name}`, term: raws[name] ?? '' });
    for (const uri of entries) if (!isDmarcUri(uri)) problems.push({ code: `invalid-${name}`, term: uri });
    return entries;
  };
  const rua = uris('rua');
  const ruf = uris('ruf');

  return {
    tags,
    ...(policy === undefined ? {} : { policy }),
    ...(subdomainPolicy === undefined ? {} : { subdomainPolicy }),
    pct,
    rua,
    ruf,
    problems,
  };
}
