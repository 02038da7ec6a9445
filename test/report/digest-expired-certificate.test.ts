import { describe, expect, it } from 'vitest';
import { renderDigestEmail, type DigestData } from '../../src/report/index.js';
import { reportFixture } from '../helpers/report-fixture.js';

/** A digest whose report lists one certificate expired 3 days ago (still in service) and one expiring in 14. */
function digest(lang: 'fr' | 'en'): DigestData {
  const report = reportFixture(lang);
  const [soon] = report.expiringCertificates;
  if (!soon) throw new Error('fixture');
  report.expiringCertificates = [
    { ...soon, host: 'ancien.exemple.fr', notAfter: '2025-03-28T12:00:00.000Z', daysLeft: -3 },
    soon,
  ];
  return { report, week: { year: 2025, week: 14 }, overdueFindings: [], playbooks: [], incidents: [] };
}

describe('an expired certificate still in service, in the weekly digest', () => {
  it('is listed as expired, never as « dans -3 j », in text and HTML', () => {
    const mail = renderDigestEmail(digest('fr'), 'fr');
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain('Certificats expirés ou expirant sous 30 jours');
      expect(body).toContain('ancien.exemple.fr:8443 — expiré depuis le');
      expect(body).toContain('intranet.exemple.fr:8443 — expire le');
      expect(body).not.toContain('-3 j');
    }
  });
  it('says "expired on" in English', () => {
    const mail = renderDigestEmail(digest('en'), 'en');
    expect(mail.text).toContain('ancien.exemple.fr:8443 — expired on');
    expect(mail.text).not.toContain('in -3 d');
  });
});
