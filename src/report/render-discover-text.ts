import type { DiscoveredName, DiscoveryClass, Finding, SourceReport } from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';
import { renderTable } from './table.js';

/** What the text of a discovery shows (the `vigie discover --json` payload has all of it). */
export interface DiscoverView {
  domains: readonly string[];
  sources: readonly SourceReport[];
  summary: Record<DiscoveryClass, number> & { names: number; findings: number };
  names: readonly DiscoveredName[];
  findings: readonly Finding[];
}

const CLASS_ORDER: readonly DiscoveryClass[] = ['dangling', 'new', 'unresolved', 'known'];

/** Sources (each ok or failed with its reason), the names by class, then each finding with its evidence. */
export function renderDiscoverText(view: DiscoverView, lang: Lang): string {
  const out: string[] = [t(lang, 'discover.heading', { domains: view.domains.join(', ') || '—' }), ''];
  out.push(`${t(lang, 'discover.sources')}${lang === 'fr' ? ' :' : ':'}`);
  for (const s of view.sources) {
    out.push(
      `  ${
        s.status === 'ok'
          ? t(lang, 'discover.source.ok', {
              source: s.source,
              domain: s.domain,
              names: s.names,
              ...(s.detail === undefined ? {} : { detail: s.detail }),
            })
          : t(lang, 'discover.source.failed', {
              source: s.source,
              domain: s.domain,
              reason: s.reason,
              detail: s.detail,
            })
      }`,
    );
  }
  out.push('');
  if (view.names.length === 0) out.push(t(lang, 'discover.none'));
  else {
    const rows = [...view.names]
      .sort(
        (a, b) => CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) || a.name.localeCompare(b.name),
      )
      .map((n) => [
        n.name,
        t(lang, `discover.class.${n.class}`) +
          (n.takeover ? ` (${n.takeover.providerName})` : '') +
          (n.expiredOnly ? ` — ${t(lang, 'discover.expired-only')}` : ''),
        n.sources.join(', '),
        [...n.cnames.map((c) => `→ ${c}`), ...n.addresses].join(' ').slice(0, 80) || (n.detail ?? '—'),
        n.firstSeen.slice(0, 10),
      ]);
    out.push(
      renderTable(
        [
          t(lang, 'discover.name'),
          t(lang, 'discover.class'),
          t(lang, 'discover.via'),
          t(lang, 'discover.addresses'),
          t(lang, 'discover.first-seen'),
        ],
        rows,
      ),
    );
  }
  if (view.findings.length > 0) {
    out.push('', `${t(lang, 'discover.findings')}${lang === 'fr' ? ' :' : ':'}`);
    for (const f of view.findings) out.push(`  [${f.severity}] ${f.checkId} ${f.host} — ${f.evidence}`);
  }
  out.push('', t(lang, 'discover.summary', { ...view.summary }));
  if (view.summary.new > 0) out.push(t(lang, 'discover.next'));
  return out.join('\n');
}
