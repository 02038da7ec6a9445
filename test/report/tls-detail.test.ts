import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/domain/index.js';
import { renderScanMarkdown, renderScanText } from '../../src/report/index.js';

const result: ScanResult = {
  run: {
    id: 'r1',
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:00:01.000Z',
    scoringVersion: 'test',
    targets: [],
    saved: false,
  },
  summary: {
    endpoints: 2,
    assessed: 2,
    findings: 0,
    bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
  },
  endpoints: [
    {
      host: 'portail.exemple.fr',
      port: 443,
      status: 'assessed',
      checks: {},
      tls: {
        protocols: ['tls1.3'],
        postQuantum: true,
        profiles: {
          anssi: {
            version: '1.2',
            conformant: null,
            violations: [],
            notEvaluated: ['suites'],
            degraded: [],
          },
        },
      },
    },
    { host: 'vieux.exemple.fr', port: 443, status: 'assessed', checks: {}, tls: { protocols: ['tls1.2'] } },
  ],
  findings: [],
};

describe('the scan summary’s TLS lines', () => {
  it('says post-quantum readiness and each profile’s verdict, never « conforme » for what was not evaluated', () => {
    const text = renderScanText(result, 'fr');
    expect(text).toContain(
      '  portail.exemple.fr:443  post-quantique (hybride accepté) : oui · anssi@1.2 : non évalué (suites)',
    );
    expect(text).not.toContain('vieux.exemple.fr:443  post-quantique');
    expect(renderScanMarkdown(result, 'en')).toContain(
      '- `portail.exemple.fr:443` post-quantum (hybrid accepted): yes · anssi@1.2: not evaluated (suites)',
    );
  });
});
