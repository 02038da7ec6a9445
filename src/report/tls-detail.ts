import { TLS_VERSION_LABEL, type EndpointResult, type TlsVersionId } from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';

type TlsFacts = Omit<NonNullable<EndpointResult['tls']>, 'grade'>;

/** « oui », « non » or « non observé » for a fact that may not have been observed. */
export function observedText(value: boolean | null | undefined, lang: Lang): string {
  if (value === true) return t(lang, 'tls.detail.yes');
  if (value === false) return t(lang, 'tls.detail.no');
  return t(lang, 'tls.detail.unknown');
}

/** Each profile's verdict, e.g. « anssi@1.2 : conforme ; mozilla-modern@5.8 : non conforme (suites) ». */
export function profileVerdictsText(tls: TlsFacts | undefined, lang: Lang): string | undefined {
  const profiles = Object.entries(tls?.profiles ?? {});
  if (profiles.length === 0) return undefined;
  const sep = lang === 'en' ? ': ' : ' : ';
  return profiles
    .map(([id, r]) => {
      const verdict =
        r.conformant === true
          ? t(lang, 'tls-profile.conformant')
          : r.conformant === false
            ? `${t(lang, 'tls-profile.nonconformant')} (${r.violations.map((v) => v.rule).join(', ')})`
            : `${t(lang, 'tls-profile.not-evaluated')} (${r.notEvaluated.join(', ')})`;
      return `${id}@${r.version}${sep}${verdict}`;
    })
    .join(lang === 'en' ? '; ' : ' ; ');
}

/** Label and value rows of one endpoint's TLS detail (versions, suites per version, groups, certificate, profiles). */
export function tlsDetailRows(tls: TlsFacts, lang: Lang): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [];
  rows.push({
    label: t(lang, 'tls.detail.versions'),
    value: tls.protocols.map((v) => TLS_VERSION_LABEL[v as TlsVersionId] ?? v).join(', ') || '—',
  });
  const perVersion = Object.entries(tls.enumeration?.versions ?? {});
  // Suites not enumerated (scan.tlsEnumeration) are not observed: said, never left to look like none.
  if (perVersion.length === 0 && tls.protocols.length > 0) {
    rows.push({ label: t(lang, 'tls.detail.suites'), value: t(lang, 'tlsperf.detail.not-enumerated') });
  }
  for (const [v, s] of perVersion) {
    const order = s.serverOrder === true ? ' ↓' : '';
    rows.push({
      label: `${t(lang, 'tls.detail.suites')} ${TLS_VERSION_LABEL[v as TlsVersionId] ?? v}${order}`,
      value: s.suites.join(', ') || '—',
    });
  }
  if (tls.enumeration) {
    rows.push({
      label: t(lang, 'tls.detail.groups'),
      value: tls.enumeration.groups?.join(', ') ?? t(lang, 'tls.detail.unknown'),
    });
  }
  rows.push({ label: t(lang, 'tls.detail.post-quantum'), value: observedText(tls.postQuantum, lang) });
  if (tls.certificate) {
    const d = tls.certificateDetail;
    rows.push({
      label: t(lang, 'tls.detail.certificate'),
      value: [
        tls.certificate.subject,
        `← ${tls.certificate.issuer}`,
        d ? `${d.keyType.toUpperCase()} ${d.keyBits}, ${d.signatureAlgorithm}` : undefined,
        `${d ? `${d.notBefore.slice(0, 10)} → ` : ''}${tls.certificate.notAfter.slice(0, 10)}`,
        d ? `${d.chainLength} cert., ${d.trust}` : undefined,
      ]
        .filter((x) => x !== undefined)
        .join(' · '),
    });
  }
  const verdicts = profileVerdictsText(tls, lang);
  if (verdicts) rows.push({ label: t(lang, 'tls.detail.profiles'), value: verdicts });
  return rows;
}

/**
 * One line per TLS endpoint with what the summary table has no room for: post-quantum readiness and
 * each profile's verdict. Empty when the scan observed neither.
 */
export function tlsSummaryLines(
  endpoints: readonly EndpointResult[],
  lang: Lang,
): { endpoint: EndpointResult; text: string }[] {
  return endpoints.flatMap((endpoint) => {
    const tls = endpoint.tls;
    if (!tls || (tls.postQuantum === undefined && tls.profiles === undefined)) return [];
    const parts = [
      `${t(lang, 'tls.detail.post-quantum')}${lang === 'en' ? ': ' : ' : '}${observedText(tls.postQuantum, lang)}`,
    ];
    const verdicts = profileVerdictsText(tls, lang);
    if (verdicts) parts.push(verdicts);
    return [{ endpoint, text: parts.join(' · ') }];
  });
}
