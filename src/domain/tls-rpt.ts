/**
 * RFC 8460 (SMTP TLS Reporting) record parser. Pure: syntax only; the caller fetches `_smtp._tls.<domain>`.
 */
import { isMailtoAddress } from './dmarc.js';
import type { RecordProblem } from './record-problem.js';
import { readTagList } from './tag-list.js';

export interface ParsedTlsRpt {
  /** rua= entries as published (trimmed), valid or not. */
  rua: string[];
  /** Empty when the record is valid. */
  problems: RecordProblem[];
}

const VERSION = /^v=TLSRPTv1\s*(?:;|$)/;
/** RFC 8460 §3: field names, compared case-sensitively. */
const FIELD_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** True for a TXT record that is a TLS-RPT record (`v=TLSRPTv1` first). */
export function isTlsRptRecord(txt: string): boolean {
  return VERSION.test(txt);
}

/** A reporting URI: `mailto:` with a valid address, or an `https:` URL with a host. */
function isReportUri(uri: string): boolean {
  if (/^mailto:/i.test(uri)) return isMailtoAddress(uri.slice('mailto:'.length));
  if (!/^https:\/\//i.test(uri)) return false;
  try {
    return new URL(uri).hostname !== '';
  } catch {
    return false;
  }
}

/** Parses a TLS-RPT record: `v=TLSRPTv1` first, `rua=` required, unknown fields ignored. */
export function parseTlsRpt(txt: string): ParsedTlsRpt {
  const { tags, problems } = readTagList(txt, {
    name: FIELD_NAME,
    strictSpacing: true,
    version: { value: 'TLSRPTv1' },
  });
  const ruaTag = tags.get('rua');
  let rua: string[] | undefined;
  if (ruaTag !== undefined) {
    rua = ruaTag.value
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    if (rua.length === 0) problems.push({ code: 'invalid-rua', term: ruaTag.raw });
    for (const uri of rua) if (!isReportUri(uri)) problems.push({ code: 'invalid-rua', term: uri });
  }
  if (rua === undefined) problems.push({ code: 'missing-rua', term: '' });
  return { rua: rua ?? [], problems };
}
