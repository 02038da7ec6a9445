import { describe, expect, it } from 'vitest';
import {
  endpointKey,
  SEVERITIES,
  type EndpointResult,
  type Finding,
  type ScanResult,
  type ScanResultView,
  type Severity,
} from '../../src/domain/index.js';
import { severityLabel, t, type Lang } from '../../src/i18n/index.js';
import { renderScanMarkdown, writeScanMarkdown } from '../../src/report/index.js';
import { gradeText } from '../../src/report/report-format.js';
import { endpointStatusText, shownEndpoints } from '../../src/report/render-text.js';
import { tlsSummaryLines } from '../../src/report/tls-detail.js';

const ORDER: readonly Severity[] = [...SEVERITIES].reverse();
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** renderScanMarkdown as it was before it read its result in passes: the reference of its bytes. */
function referenceMarkdown(result: ScanResult, lang: Lang): string {
  const out: string[] = [`# ${t(lang, 'report.title', { id: result.run.id })}`, ''];
  out.push(
    t(lang, 'report.generated', {
      startedAt: result.run.startedAt,
      finishedAt: result.run.finishedAt,
      scoringVersion: result.run.scoringVersion,
    }),
    '',
  );
  out.push(`## ${t(lang, 'report.endpoints')}`, '');
  out.push(
    `| ${t(lang, 'scan.summary.endpoint')} | ${t(lang, 'scan.summary.status')} | ${ORDER.map((s) => severityLabel(lang, s)).join(' | ')} | ${t(lang, 'honest.scan.summary.tls')} | ${t(lang, 'scan.summary.http')} |`,
  );
  out.push(`|---|---|${ORDER.map(() => '---:').join('|')}|---|---|`);
  const shown = shownEndpoints(result);
  for (const e of shown) {
    const mine = result.findings.filter((f) => f.host === e.host && f.port === e.port);
    out.push(
      `| ${cell(endpointKey(e))} | ${endpointStatusText(e, lang)} | ${ORDER.map((s) => mine.filter((f) => f.severity === s).length || '·').join(' | ')} | ${gradeText(e.tls?.grade, lang)} | ${gradeText(e.http?.grade, lang)} |`,
    );
  }
  const closed = result.endpoints.length - shown.length;
  if (closed > 0) out.push('', t(lang, 'scan.summary.closed', { count: closed }));
  const tlsLines = tlsSummaryLines(shown, lang);
  if (tlsLines.length) {
    out.push('', `### ${t(lang, 'tls.detail.title')}`, '');
    for (const l of tlsLines) out.push(`- \`${endpointKey(l.endpoint)}\` ${cell(l.text)}`);
  }
  const partial = shown.filter((e) => e.errors?.length);
  if (partial.length) {
    out.push('', t(lang, 'scan.partial.title'), '');
    for (const e of partial) {
      for (const f of e.errors ?? [])
        out.push(`- \`${endpointKey(e)}\` ${f.category} : ${f.reason} — ${cell(f.detail)}`);
    }
  }
  out.push('', `## ${t(lang, 'report.findings')}`, '');
  if (result.findings.length === 0) out.push(t(lang, 'scan.findings.none'));
  for (const f of result.findings) {
    out.push(`### ${cell(f.title)} — \`${endpointKey(f)}\``, '');
    out.push(
      `- **${t(lang, 'table.severity')}** : ${severityLabel(lang, f.severity)} · \`${f.checkId}\` · \`${f.fingerprint}\``,
    );
    out.push(`- **${t(lang, 'finding.evidence')}** : ${f.evidence}`);
    out.push(`- **${t(lang, 'finding.remediation')}** : ${f.remediation}`);
    if (f.references.length) out.push(`- **${t(lang, 'report.references')}** : ${f.references.join(', ')}`);
    if (f.playbook) out.push(`- **${t(lang, 'report.playbook')}** : ${f.playbook}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const SEVERITY_CYCLE: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** A scan of `n` endpoints: some closed, some in error, some with TLS verdicts; findings on most. */
function scan(n: number, lastLine = ''): ScanResult {
  const endpoints: EndpointResult[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const host = i % 17 === 3 ? `2001:db8::${i.toString(16)}` : `h${i}.exemple.fr`;
    endpoints.push({
      host,
      port: i % 5 === 0 ? 80 : 443,
      status: i % 13 === 0 ? 'timeout' : 'assessed',
      checks: {},
      ...(i % 11 === 0 ? { closed: true } : {}),
      ...(i % 7 === 0
        ? { errors: [{ category: 'http', reason: 'timeout', detail: `pas de réponse | ${i}\nfin` }] }
        : {}),
      ...(i % 3 === 0 ? { tls: { protocols: ['tls1.3'], postQuantum: i % 2 === 0 } } : {}),
    } as EndpointResult);
    for (let k = 0; k < (i % 4) + 1; k++) {
      findings.push({
        fingerprint: `fp${i}-${k}`,
        checkId: `check.${k}`,
        severity: SEVERITY_CYCLE[(i + k) % 5]!,
        category: 'tls',
        host,
        port: i % 5 === 0 ? 80 : 443,
        title: `Titre | ${i} ${k}`,
        evidence: `preuve ${'x'.repeat(i % 40)}`,
        remediation: 'corriger',
        references: k % 2 ? ['https://exemple.fr/ref'] : [],
        ...(k === 1 ? { playbook: 'tls-renew' } : {}),
        details: {},
      } as unknown as Finding);
    }
  }
  if (lastLine && findings.length) findings[findings.length - 1]!.playbook = lastLine;
  return {
    run: {
      id: 'r1',
      startedAt: '2026-12-04T10:00:00.000Z',
      finishedAt: '2026-12-04T10:00:01.000Z',
      scoringVersion: 'test',
      targets: [],
      saved: false,
    },
    summary: {
      endpoints: n,
      assessed: n,
      findings: findings.length,
      bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
    },
    endpoints,
    findings,
  };
}

/** The result as the scan's spool gives it: lists read on demand, never arrays. */
function view(result: ScanResult): ScanResultView & { passes: number } {
  const out = { ...result, passes: 0 } as ScanResultView & { passes: number };
  const list = <T>(items: readonly T[]) => ({
    get length() {
      return items.length;
    },
    *[Symbol.iterator]() {
      out.passes += 1;
      yield* items;
    },
  });
  out.endpoints = list(result.endpoints);
  out.findings = list(result.findings);
  return out;
}

describe('the scan’s Markdown report, read in passes', () => {
  it('gives the bytes of the whole result’s rendering, in fr and en', () => {
    for (const lang of ['fr', 'en'] as const)
      for (const [n, last] of [
        [0, ''],
        [1, ''],
        [40, 'fin  \n\n '],
        [3000, ''],
      ] as const) {
        const result = scan(n, last);
        const expected = referenceMarkdown(result, lang);
        expect(renderScanMarkdown(result, lang)).toBe(expected);
        const pieces: string[] = [];
        const spooled = view(result);
        writeScanMarkdown(spooled, lang, (piece) => pieces.push(piece));
        expect(pieces.join('')).toBe(expected);
        if (n === 3000) expect(pieces.length).toBeGreaterThan(3);
        expect(spooled.passes).toBeLessThanOrEqual(6);
      }
  });
});
