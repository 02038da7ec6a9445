/**
 * RFC 8460 (SMTP TLS Reporting) record parser. Pure: syntax only; the caller fetches `_smtp._tls.<domain>`.
 */
import { isMailtoAddress } from './dmarc.js';
import type { RecordProblem } from './record-problem.js';

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
  const problems: RecordProblem[] = [];
  const seen = new Set<string>();
  let rua: string[] | undefined;
  const parts = txt
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  parts.forEach((raw, index) => {
    const eq = raw.indexOf('=');
    const name = eq < 0 ? '' : raw.slice(0, eq);
    if (!FIELD_NAME.test(name)) {
      problems.push({ code: 'invalid-tag', term: raw });
      return;
    }
    if (seen.has(name)) {
      problems.push({ code: 'duplicate-tag', term: raw });
      return;
    }
    seen.add(name);
    const value = raw.slice(eq + 1).trim();
    if (name === 'v') {
      if (index > 0) problems.push({ code: 'version-not-first', term: raw });
      else if (value !== 'TLSRPTv1') problems.push({ code: 'invalid-version', term: raw });
    } else if (name === 'rua') {
      rua = value
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== '');
      if (rua.length === 0) problems.push({ code: 'invalid-rua', term: raw });
      for (const uri of rua) if (!isReportUri(uri)) problems.push({ code: 'invalid-rua', term: uri });
    }
  });
  if (!seen.has('v')) problems.push({ code: 'missing-version', term: '' });
  if (rua === undefined) problems.push({ code: 'missing-rua', term: '' });
  return { rua: rua ?? [], problems };
}
