import { describe, expect, it } from 'vitest';
import type { EndpointResult, Finding, ScanResult, Severity } from '../../src/domain/index.js';
import { renderScanText } from '../../src/report/index.js';

const finding = (n: number, severity: Severity, host = 'www.exemple.test'): Finding => ({
  checkId: `demo.check-${n}`,
  severity,
  category: 'tls',
  host,
  port: 443,
  title: `Titre ${n}`,
  evidence: `preuve ${n}`,
  details: {},
  remediation: `correction ${n}`,
  references: [],
  fingerprint: `fp${n}`,
  firstSeen: '2026-12-01T08:00:00Z',
  lastSeen: '2026-12-01T08:00:00Z',
});

const SEVERITIES: Severity[] = ['critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'info'];

function result(endpoints: EndpointResult[]): ScanResult {
  const findings = SEVERITIES.map((s, i) => finding(i + 1, s));
  return {
    run: {
      id: 'R1',
      startedAt: '2026-12-01T08:00:00Z',
      finishedAt: '2026-12-01T08:00:04Z',
      scoringVersion: 'v',
      targets: ['inventory'],
      saved: true,
    },
    summary: {
      endpoints: endpoints.length,
      assessed: endpoints.filter((e) => e.status === 'assessed').length,
      findings: findings.length,
      bySeverity: { critical: 1, high: 2, medium: 2, low: 2, info: 1 },
    },
    endpoints,
    findings,
    posture: {
      scoringVersion: 'v',
      index: 72.5,
      endpoints: 2,
      unassessed: 0,
      partial: 1,
      byOwner: [],
      byAsset: [],
      byCategory: [],
    },
  };
}

const assessed: EndpointResult = { host: 'www.exemple.test', port: 443, status: 'assessed', checks: {} };
const partly: EndpointResult = {
  host: 'dns.exemple.test',
  port: 53,
  status: 'assessed',
  checks: {},
  errors: [{ category: 'dns:caa', postureCategory: 'dns', reason: 'timeout', detail: 'pas de réponse' }],
};

describe('the scan screen', () => {
  it('ends with the summary: index, counts by severity, top risks, where the results are', () => {
    const text = renderScanText(result([assessed, partly]), 'fr', {
      whereabouts: ['Résultats enregistrés dans /données.'],
      next: ['vigie findings list'],
    });
    const summary = text.slice(text.indexOf('Bilan'));
    expect(text.indexOf('Bilan')).toBeGreaterThan(text.indexOf('Synthèse par point d’accès'));
    expect(summary).toContain('Indice de posture : 72,5/100');
    expect(summary).toContain('1 critique · 2 haute · 2 moyenne · 2 faible · 1 info — 8 au total');
    // The five most serious (info never among the risks), the rest counted.
    expect(summary).toContain('[CRITIQUE] www.exemple.test:443  Titre 1');
    expect(summary).toContain('Titre 5');
    expect(summary).not.toContain('Titre 6');
    expect(summary).toContain('… et 3 autre(s) constat(s)');
    expect(text.trimEnd().split('\n').slice(-3)).toEqual([
      '  Résultats enregistrés dans /données.',
      '  Ensuite :',
      '    vigie findings list',
    ]);
    // The per-finding detail is not on the first screen.
    expect(text).not.toContain('correction 1');
    expect(text).not.toContain('\u001b[');
  });

  it('prints each finding with evidence and remediation before the summary with verbose', () => {
    const text = renderScanText(result([assessed]), 'en', { verbose: true });
    expect(text).toContain('Remediation: correction 7');
    expect(text.indexOf('correction 8')).toBeLessThan(text.indexOf('Summary\n'));
    expect(text).toContain('Posture index: 72.5/100');
  });

  it('labels an endpoint with a failed probe family « évalué en partie », never plain « évalué »', () => {
    const text = renderScanText(result([assessed, partly]), 'fr');
    const row = text.split('\n').find((l) => l.startsWith('dns.exemple.test:53'));
    expect(row).toContain('évalué en partie');
    expect(text).toContain('Points d’accès : 2 — 1 évalué(s), 1 évalué(s) en partie, 0 non évalué(s)');
    expect(renderScanText(result([partly]), 'en')).toContain('partly assessed');
  });

  it('colours severities and headings only when asked', () => {
    const text = renderScanText(result([assessed]), 'fr', { colour: true });
    expect(text).toContain('\u001b[1;31m[CRITIQUE]\u001b[0m');
    expect(text).toContain('\u001b[1mBilan\u001b[0m');
  });
});

describe('post-quantum readiness on the scan screen', () => {
  const tlsEndpoint = (host: string, postQuantum: boolean | null): EndpointResult => ({
    host,
    port: 443,
    status: 'assessed',
    checks: {},
    tls: { protocols: ['tls1.3'], postQuantum },
  });
  const endpoints = [
    tlsEndpoint('a.exemple.test', true),
    tlsEndpoint('b.exemple.test', false),
    tlsEndpoint('c.exemple.test', null),
  ];

  it('counts the ready endpoints among those observed in the summary, without one line per endpoint', () => {
    const text = renderScanText(result(endpoints), 'fr');
    const summary = text.slice(text.indexOf('Bilan'));
    expect(summary).toContain('Post-quantique (hybride accepté) : 1 sur 2 point(s) d’accès TLS observé(s)');
    expect(text).not.toContain('Détail TLS par point d’accès');
    expect(renderScanText(result(endpoints), 'en')).toContain(
      'Post-quantum ready (hybrid accepted): 1 of 2 TLS endpoint(s) observed',
    );
  });

  it('lists each endpoint’s TLS detail with --verbose', () => {
    const text = renderScanText(result(endpoints), 'fr', { verbose: true });
    expect(text).toContain('Détail TLS par point d’accès');
    expect(text).toMatch(/b\.exemple\.test:443 {2}post-quantique \(hybride accepté\) : non/);
  });

  it('says nothing of post-quantum when no endpoint was observed for it', () => {
    const text = renderScanText(result([tlsEndpoint('c.exemple.test', null)]), 'fr');
    expect(text).not.toContain('Post-quantique');
  });
});
