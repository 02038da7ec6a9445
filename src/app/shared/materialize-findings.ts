import {
  severityRank,
  type Catalogue,
  type CheckMeta,
  type Finding,
  type FindingRecord,
  type FindingSubject,
  type RawFinding,
} from '../../domain/index.js';
import { evidenceParams, fillTemplate, t, type Lang } from '../../i18n/index.js';
import type { StoredFindingInput } from '../../store/index.js';

export interface SeenDates {
  firstSeen: string;
  lastSeen: string;
}

/** Check metadata, or a loud placeholder: a finding is never dropped for lack of text. */
export function metaOf(catalogue: Catalogue, checkId: string): CheckMeta {
  return (
    catalogue.checks.get(checkId) ?? {
      id: checkId,
      category: 'scan',
      severity: 'medium',
      title: { fr: checkId, en: checkId },
      evidence: { fr: '{detail}', en: '{detail}' },
      remediation: { fr: '—', en: '—' },
      references: [],
    }
  );
}

/** Port of the findings about a domain's records (the engine's DOMAIN_PORT). */
const DOMAIN_PORT = 53;

/**
 * A `scan.error` that is a DNS failure — a name that does not resolve, or a domain's records left
 * unanswered — whose remediation is about DNS, not about the port or the protocol (TLS, HTTP…).
 */
export function isDnsScanError(raw: Pick<RawFinding, 'checkId' | 'port' | 'params'>): boolean {
  return raw.checkId === 'scan.error' && (raw.params['reason'] === 'dns' || raw.port === DOMAIN_PORT);
}

/** Which check found what, how serious (the finding's own severity, else the catalogue's) and where. */
function subjectOf(raw: RawFinding, meta: CheckMeta): FindingSubject {
  return {
    checkId: raw.checkId,
    severity: raw.severity ?? meta.severity,
    category: meta.category,
    host: raw.host,
    port: raw.port,
    ...(raw.assetId ? { assetId: raw.assetId } : {}),
  };
}

/** Turns what a check observed into the finding users read, in their language. */
export function materializeFinding(
  raw: RawFinding,
  meta: CheckMeta,
  fingerprint: string,
  seen: SeenDates,
  lang: Lang,
): Finding {
  return {
    ...subjectOf(raw, meta),
    title: meta.title[lang],
    evidence: fillTemplate(meta.evidence[lang], evidenceParams(lang, raw.params)),
    details: raw.params,
    remediation: isDnsScanError(raw)
      ? t(lang, 'firstrun.remediation.scan-error-dns')
      : meta.remediation[lang],
    references: meta.references,
    ...(meta.playbook ? { playbook: meta.playbook } : {}),
    fingerprint,
    firstSeen: seen.firstSeen,
    lastSeen: seen.lastSeen,
  };
}

/** A stored finding as users read it, from its record (severity and evidence as recorded). */
export function recordFinding(r: FindingRecord, catalogue: Catalogue, lang: Lang): Finding {
  return materializeFinding(
    {
      checkId: r.checkId,
      host: r.host,
      port: r.port,
      ...(r.assetId ? { assetId: r.assetId } : {}),
      severity: r.severity,
      params: r.details,
    },
    metaOf(catalogue, r.checkId),
    r.fingerprint,
    { firstSeen: r.firstSeen, lastSeen: r.lastSeen },
    lang,
  );
}

/** Most severe first, then by host, port and check. */
export function compareFindings(
  a: Pick<Finding, 'severity' | 'host' | 'port' | 'checkId'>,
  b: Pick<Finding, 'severity' | 'host' | 'port' | 'checkId'>,
): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.host.localeCompare(b.host) ||
    a.port - b.port ||
    a.checkId.localeCompare(b.checkId)
  );
}

/** What the store keeps of a finding: its identity, severity and the check's observed parameters. */
export function storedFindingOf(
  fingerprint: string,
  f: RawFinding,
  catalogue: Catalogue,
): StoredFindingInput {
  const meta = metaOf(catalogue, f.checkId);
  return {
    fingerprint,
    ...subjectOf(f, meta),
    ...(f.key === undefined ? {} : { key: f.key }),
    details: f.params,
  };
}
