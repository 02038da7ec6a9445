import { describe, expect, it } from 'vitest';
import { renderReportText } from '../../src/report/index.js';
import { emptyReportFixture, HOSTILE, reportFixture } from '../helpers/report-fixture.js';

describe('renderReportText', () => {
  const fr = renderReportText(reportFixture('fr'), 'fr');
  const en = renderReportText(reportFixture('en'), 'en');

  it('leads with the posture index, its delta and a sparkline of the trend with the values', () => {
    expect(fr).toContain('72,5/100   +3 depuis le 2025-03-24');
    expect(fr).toContain('Tendance : ▁▃▄▃▇█  58 → 61,5 → 64 → 63 → 69,5 → 72,5');
    expect(en).toContain('72.5/100   +3 since 2025-03-24');
    expect(en).toContain('Trend: ▁▃▄▃▇█  58 → 61.5 → 64 → 63 → 69.5 → 72.5');
  });

  it('says « première mesure » for the first report', () => {
    const report = reportFixture('fr');
    const { previous: _p, delta: _d, ...posture } = report.posture;
    expect(renderReportText({ ...report, posture }, 'fr')).toContain('72,5/100   première mesure');
  });

  it('counts open findings by severity, most serious first', () => {
    const lines = fr.split('\n');
    const header = lines.findIndex((l) => /^critique\s+haute\s+moyenne\s+faible\s+info$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]?.split(/\s+/)).toEqual(['2', '0', '2', '1', '1']);
  });

  it('lists the top risks with owner, evidence and remediation', () => {
    expect(fr).toMatch(
      / 1\. \[CRITIQUE\] www\.exemple\.fr:443 {2}Certificat expiré {2}\(tls\.cert\.expired\)/,
    );
    expect(fr).toContain('Responsable : DSI - pôle web · Portail citoyen');
    expect(fr).toContain('Correction : Renouvelez le certificat et automatisez le renouvellement (ACME).');
    expect(en).toContain('Remediation: Renew the certificate and automate renewal (ACME).');
  });

  it('shows what is new, back and resolved', () => {
    expect(fr).toContain('Nouveaux constats (2)');
    expect(fr).toContain('Constats revenus après résolution (1)');
    expect(fr).toMatch(
      /Constats résolus \(1\)\n {2}- \[haute\] old\.exemple\.fr:443 {2}Suites RC4 acceptées.*résolu le 2025-03-30/,
    );
  });

  it('lists expiring certificates, owners, categories and waivers', () => {
    expect(fr).toMatch(
      /intranet\.exemple\.fr:8443\s+CN=intranet\.exemple\.fr\s+2025-04-14\s+14\s+DSI - réseau/,
    );
    expect(fr).toMatch(/DSI - pôle web\s+61,5\s+1\s+1\s+·\s+1/);
    expect(fr).toMatch(/Services exposés\s+40\s+1/);
    expect(en).toMatch(/Exposed services\s+40\s+1/);
    expect(fr).toContain('- TLS 1.0 accepté — www.exemple.fr:443 (tls.protocol.tls10)');
    expect(fr).toContain(`Dérogation : ${HOSTILE.waiverReason} (jusqu’au 2025-09-30, par RSSI Dupont)`);
  });

  it('keeps every value on one line and strips control characters', () => {
    expect(fr).not.toContain('\u0007');
    expect(fr).toContain('`tick` ]]>  bell second line');
  });

  it('says plainly when there is nothing yet', () => {
    const text = renderReportText(emptyReportFixture('fr'), 'fr');
    expect(text).toContain('Aucune analyse enregistrée');
    expect(text).toContain('Tendance : pas encore d’historique');
    expect(text).toContain('Aucun risque ouvert.');
    expect(text).toContain('Aucun certificat n’expire dans les 30 prochains jours.');
    expect(text).toContain('Aucune dérogation en vigueur.');
  });
});
