import {
  SEVERITIES,
  type Localized,
  type PostureReport,
  type ReportFinding,
  type Severity,
} from '../domain/index.js';
import { severityLabel, t, type Lang, type MessageKey } from '../i18n/index.js';
import { escapeHtml } from './escape-html.js';
import { TREND_CHART_SIZE, postureTrendChart } from './posture-trend-chart.js';

/** A finding past its target date (critical 7 d, high 30 d, medium 90 d, low 180 d from firstSeen). */
export type OverdueFinding = ReportFinding & { dueDate: string; daysOverdue: number };

/** What the weekly digest shows, prepared by the app; the renderer only formats it. */
export interface DigestData {
  report: PostureReport;
  /** ISO week in the organisation's time zone. */
  week: { year: number; week: number };
  /**
   * The window of « what changed »: since the previous weekly digest (`previousDigestAt`), else the
   * last 7 days (`since` only). Absent: the report's own `since`.
   */
  window?: { since: string; previousDigestAt?: string };
  overdueFindings: OverdueFinding[];
  playbooks: {
    id: string;
    title: Localized;
    owner: string;
    nextReviewDue: string;
    reviewStatus: 'due' | 'overdue' | 'never-reviewed';
  }[];
  incidents: {
    id: string;
    title: string;
    clocks: { title: Localized; dueLocal: Localized; remaining: string }[];
  }[];
  /**
   * Names `vigie discover` saw for the first time within the window and that are not in the
   * inventory (class `new` or `dangling`): at most the first `DIGEST_DISCOVERED_SHOWN` by name, and
   * how many in all. Absent when no discovery ever ran (the section is then left out).
   */
  discovered?: {
    names: { name: string; class: 'new' | 'dangling'; firstSeen: string; provider?: string }[];
    total: number;
  };
}

/** How many discovered names the digest lists before « … et N autres ». */
export const DIGEST_DISCOVERED_SHOWN = 20;

export interface DigestEmail {
  subject: string;
  html: string;
  text: string;
  /**
   * The posture trend chart the HTML shows by `cid:` (the HTML report's own SVG), for the sender to
   * attach as a PNG of twice its size (`renderSvgToPng`); absent when there is no run to draw.
   */
  chartSvg?: string;
}

/** Content-ID of the inline trend chart. */
export const DIGEST_CHART_CID = 'posture-trend';

const pad2 = (n: number) => String(n).padStart(2, '0');
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const round = (n: number) => Math.round(n);

/** `[vigie] Semaine 48 — posture 72/100 (+3)`; `(première mesure)` when there is no previous index. */
export function digestSubject(d: DigestData, lang: Lang): string {
  const current = d.report.posture.current;
  const week = pad2(d.week.week);
  if (!current) return t(lang, 'digest.subject.noIndex', { week });
  const delta = d.report.posture.delta;
  return t(lang, 'digest.subject', {
    week,
    index: round(current.index),
    delta: delta === undefined ? t(lang, 'digest.firstMeasure') : signed(round(delta)),
  });
}

const endpoint = (f: { host: string; port?: number }) => (f.port ? `${f.host}:${f.port}` : f.host);
const day = (iso: string) => iso.slice(0, 10);

/** « Depuis la synthèse du 23/11/2026 » or « Sur les 7 derniers jours (première synthèse) ». */
function windowLine(d: DigestData, lang: Lang): string {
  const previous = d.window?.previousDigestAt;
  if (previous) return t(lang, 'digest.window.sincePrevious', { date: shortDate(previous, lang) });
  if (d.window) return t(lang, 'digest.window.lastWeek', { date: shortDate(d.window.since, lang) });
  return t(lang, 'digest.window.since', { date: shortDate(d.report.since, lang) });
}

const shortDate = (iso: string, lang: Lang): string => {
  const [y, m, dd] = iso.slice(0, 10).split('-');
  return lang === 'fr' ? `${dd}/${m}/${y}` : `${y}-${m}-${dd}`;
};

/** Open findings by severity, most severe first (waived findings are not counted). */
function severityCounts(d: DigestData, lang: Lang): { label: string; count: number; severity: string }[] {
  return [...SEVERITIES].reverse().map((s) => ({
    severity: s,
    label: t(lang, `severity.${s}` as MessageKey),
    count: d.report.counts[s],
  }));
}

interface Section {
  title: string;
  lines: string[];
  /** Sub-sections (the overdue part). */
  parts?: Section[];
  /** A line under the title (the window of « what changed »). */
  intro?: string;
}

function sections(d: DigestData, lang: Lang): Section[] {
  const sev = (s: Severity) => severityLabel(lang, s);
  const owner = (o: string | undefined) => (o ? t(lang, 'digest.owner', { owner: o }) : '');
  const findingLine = (f: ReportFinding) =>
    `${sev(f.severity)} — ${f.title} (${endpoint(f)})${owner(f.owner)}`;
  const r = d.report;
  return [
    {
      title: t(lang, 'digest.changes'),
      lines: [],
      intro: windowLine(d, lang),
      parts: [
        { title: t(lang, 'digest.changes.new'), lines: r.changes.new.map(findingLine) },
        { title: t(lang, 'digest.changes.resolved'), lines: r.changes.resolved.map(findingLine) },
        { title: t(lang, 'digest.changes.regressed'), lines: r.changes.regressed.map(findingLine) },
      ],
    },
    {
      title: t(lang, 'digest.overdue'),
      lines: [],
      parts: [
        {
          title: t(lang, 'digest.overdue.findings'),
          lines: d.overdueFindings.map((f) =>
            t(lang, 'digest.overdue.findingLine', {
              severity: sev(f.severity),
              title: f.title,
              endpoint: endpoint(f),
              due: f.dueDate,
              days: f.daysOverdue,
              owner: owner(f.owner),
            }),
          ),
        },
        {
          title: t(lang, 'digest.overdue.playbooks'),
          lines: d.playbooks.map((p) =>
            p.reviewStatus === 'never-reviewed'
              ? t(lang, 'digest.overdue.playbookNever', { title: p.title[lang], owner: p.owner })
              : t(lang, 'digest.overdue.playbookLine', {
                  title: p.title[lang],
                  owner: p.owner,
                  status: t(lang, p.reviewStatus === 'due' ? 'digest.review.due' : 'digest.review.overdue'),
                  due: p.nextReviewDue,
                }),
          ),
        },
        {
          title: t(lang, 'digest.overdue.incidents'),
          lines: d.incidents.flatMap((i) =>
            i.clocks.map((c) =>
              t(lang, 'digest.overdue.incidentLine', {
                id: i.id,
                title: i.title,
                clock: c.title[lang],
                due: c.dueLocal[lang],
                remaining: c.remaining,
              }),
            ),
          ),
        },
      ],
    },
    ...discoveredSection(d, lang),
    {
      title: t(lang, 'digest.certificates'),
      lines: r.expiringCertificates.map((c) =>
        t(lang, c.daysLeft < 0 ? 'digest.certificateLineExpired' : 'digest.certificateLine', {
          host: c.host,
          port: c.port,
          date: day(c.notAfter),
          days: c.daysLeft,
          owner: owner(c.owner),
        }),
      ),
    },
    {
      title: t(lang, 'digest.topRisks'),
      lines: r.topRisks.map((f) =>
        t(lang, 'digest.riskLine', {
          severity: sev(f.severity),
          title: f.title,
          endpoint: endpoint(f),
          owner: f.owner ?? '—',
        }),
      ),
    },
  ];
}

/** « Nouveaux points d'accès découverts », bounded; nothing when no discovery ever ran. */
function discoveredSection(d: DigestData, lang: Lang): Section[] {
  const found = d.discovered;
  if (!found) return [];
  const lines = found.names.map((n) =>
    n.class === 'dangling'
      ? t(lang, 'digest.discovered.dangling', {
          name: n.name,
          date: shortDate(n.firstSeen, lang),
          provider: n.provider ?? '?',
        })
      : t(lang, 'digest.discovered.new', { name: n.name, date: shortDate(n.firstSeen, lang) }),
  );
  const more = found.total - found.names.length;
  if (more > 0) lines.push(t(lang, 'digest.discovered.more', { count: more }));
  return [
    {
      title: `${t(lang, 'digest.discovered')} (${found.total})`,
      lines,
      intro: t(lang, 'digest.discovered.intro'),
    },
  ];
}

function headline(d: DigestData, lang: Lang): { index?: string; delta?: string } {
  const current = d.report.posture.current;
  if (!current) return {};
  const delta = d.report.posture.delta;
  return {
    index: `${round(current.index)}/100`,
    delta: t(lang, 'digest.delta', {
      delta: delta === undefined ? t(lang, 'digest.firstMeasure') : signed(round(delta)),
    }),
  };
}

function textOf(d: DigestData, lang: Lang): string {
  const out: string[] = [];
  out.push(t(lang, 'digest.title', { organisation: d.report.organisation }));
  out.push(t(lang, 'digest.week', { week: pad2(d.week.week), year: d.week.year }), '');
  const h = headline(d, lang);
  if (h.index) out.push(`${t(lang, 'digest.index')} : ${h.index}`, h.delta ?? '');
  else out.push(t(lang, 'digest.noData'));
  out.push(
    '',
    t(lang, 'digest.counts'),
    severityCounts(d, lang)
      .map((c) => `${c.label}${lang === 'fr' ? ' : ' : ': '}${c.count}`)
      .join(' · '),
  );
  const grades = tlsGradesLine(d, lang);
  if (grades) out.push(grades);
  const list = (lines: string[]) =>
    lines.length ? lines.map((l) => `  - ${l}`) : [`  ${t(lang, 'digest.none')}`];
  for (const s of sections(d, lang)) {
    out.push('', s.title, '='.repeat(Math.min(s.title.length, 60)));
    if (s.intro) out.push(s.intro);
    if (s.parts) for (const p of s.parts) out.push(`${p.title} (${p.lines.length})`, ...list(p.lines));
    else out.push(...list(s.lines));
  }
  out.push('', '--', t(lang, 'digest.footer'));
  return `${out.join('\n')}\n`;
}

const FONT = 'font-family:Arial,Helvetica,sans-serif;color:#0f172a;';

function htmlList(lines: string[], lang: Lang): string {
  if (lines.length === 0)
    return `<p style="${FONT}font-size:14px;margin:4px 0 12px;color:#64748b;">${escapeHtml(t(lang, 'digest.none'))}</p>`;
  const rows = lines
    .map(
      (l) =>
        `<tr><td style="${FONT}font-size:14px;padding:4px 0;border-bottom:1px solid #e2e8f0;">${escapeHtml(l)}</td></tr>`,
    )
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 12px;">${rows}</table>`;
}

/** Colours of the severity cells (text stays dark on light tints: readable printed or in dark mode). */
const SEVERITY_TINT: Record<string, string> = {
  critical: '#fecaca',
  high: '#fed7aa',
  medium: '#fef08a',
  low: '#dbeafe',
  info: '#e2e8f0',
};

/** One row of five cells: the count, large, over the severity's name. */
function htmlCounts(d: DigestData, lang: Lang): string {
  const cells = severityCounts(d, lang)
    .map(
      (c) =>
        `<td class="severity-count" data-severity="${c.severity}" align="center" width="20%" style="${FONT}background:${SEVERITY_TINT[c.severity] ?? '#e2e8f0'};padding:6px 2px;border:2px solid #ffffff;"><span style="display:block;font-size:22px;font-weight:bold;">${c.count}</span><span style="display:block;font-size:12px;">${escapeHtml(c.label)}</span></td>`,
    )
    .join('');
  return `<p style="${FONT}font-size:14px;margin:12px 0 4px;">${escapeHtml(t(lang, 'digest.counts'))}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px;table-layout:fixed;"><tr>${cells}</tr></table>`;
}

function htmlOf(d: DigestData, lang: Lang, subject: string, chart: boolean): string {
  const h = headline(d, lang);
  const body: string[] = [];
  body.push(
    `<h1 style="${FONT}font-size:20px;margin:0 0 4px;">${escapeHtml(t(lang, 'digest.title', { organisation: d.report.organisation }))}</h1>`,
    `<p style="${FONT}font-size:14px;margin:0 0 16px;color:#475569;">${escapeHtml(t(lang, 'digest.week', { week: pad2(d.week.week), year: d.week.year }))}</p>`,
  );
  if (h.index) {
    body.push(
      `<p style="${FONT}font-size:14px;margin:0;">${escapeHtml(t(lang, 'digest.index'))}</p>`,
      `<p style="${FONT}font-size:36px;font-weight:bold;margin:0;">${escapeHtml(h.index)}</p>`,
      `<p style="${FONT}font-size:14px;margin:0 0 12px;">${escapeHtml(h.delta ?? '')}</p>`,
    );
    if (chart)
      body.push(
        `<img src="cid:${DIGEST_CHART_CID}" width="${TREND_CHART_SIZE.width}" height="${TREND_CHART_SIZE.height}" alt="${escapeHtml(t(lang, 'digest.trendAlt'))}" style="display:block;width:100%;max-width:${TREND_CHART_SIZE.width}px;height:auto;border:0;margin:0 0 16px;">`,
      );
  } else {
    body.push(`<p style="${FONT}font-size:14px;">${escapeHtml(t(lang, 'digest.noData'))}</p>`);
  }
  body.push(htmlCounts(d, lang));
  const grades = tlsGradesLine(d, lang);
  if (grades) body.push(`<p style="${FONT}font-size:14px;margin:0 0 12px;">${escapeHtml(grades)}</p>`);
  for (const s of sections(d, lang)) {
    body.push(
      `<h2 style="${FONT}font-size:17px;margin:20px 0 6px;border-bottom:2px solid #1d4ed8;padding-bottom:2px;">${escapeHtml(s.title)}</h2>`,
    );
    if (s.intro)
      body.push(`<p style="${FONT}font-size:13px;margin:0 0 6px;color:#475569;">${escapeHtml(s.intro)}</p>`);
    if (s.parts)
      for (const p of s.parts)
        body.push(
          `<h3 style="${FONT}font-size:15px;margin:10px 0 4px;">${escapeHtml(p.title)} (${p.lines.length})</h3>`,
          htmlList(p.lines, lang),
        );
    else body.push(htmlList(s.lines, lang));
  }
  body.push(
    `<p style="${FONT}font-size:12px;color:#64748b;margin:24px 0 0;">${escapeHtml(t(lang, 'digest.footer'))}</p>`,
  );
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f5f9;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f1f5f9;"><tr><td align="center" style="padding:12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;"><tr><td style="padding:16px;">
${body.join('\n')}
</td></tr></table>
</td></tr></table>
</body>
</html>
`;
}

/** The weekly digest mail: subject, single-column HTML (≤ 600 px, inline styles, chart by cid) and plain text. */
export function renderDigestEmail(d: DigestData, lang: Lang = 'fr'): DigestEmail {
  const subject = digestSubject(d, lang);
  const chartSvg = d.report.posture.current ? postureTrendChart(d.report, lang) : undefined;
  return {
    subject,
    html: htmlOf(d, lang, subject, chartSvg !== undefined),
    text: textOf(d, lang),
    ...(chartSvg === undefined ? {} : { chartSvg }),
  };
}

/** « Notes TLS : A ×3, B ×1 · post-quantique : 1/4 » from the latest scan of each endpoint; undefined without TLS grades. */
function tlsGradesLine(d: DigestData, lang: Lang): string | undefined {
  const counts = new Map<string, number>();
  for (const e of d.report.endpoints) {
    if (!e.tlsGrade) continue;
    const g = e.tlsGrade.grade === 'not-evaluated' ? t(lang, 'tls-profile.not-evaluated') : e.tlsGrade.grade;
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const grades = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([g, n]) => `${g} ×${n}`);
  const pq = d.report.endpoints
    .map((e) => e.tlsDetail?.postQuantum)
    .filter((v) => v !== undefined && v !== null);
  const ready = pq.filter((v) => v).length;
  const sep = lang === 'en' ? ': ' : ' : ';
  const tail = pq.length ? ` · ${t(lang, 'tls.detail.post-quantum')}${sep}${ready}/${pq.length}` : '';
  return `${t(lang, 'digest.tls-grades', { grades: grades.join(', ') })}${tail}`;
}
