import { describe, expect, it } from 'vitest';
import { renderDigestEmail, type DigestData } from '../../src/report/index.js';
import { reportFixture } from '../helpers/report-fixture.js';

const grade = (g: 'A' | 'B') => ({
  grade: g,
  score: 80,
  protocolScore: 100,
  keyExchangeScore: 90,
  cipherScore: 90,
  caps: [],
  warnings: [],
  scoringVersion: 'test',
});

function digest(withGrades: boolean): DigestData {
  const report = reportFixture('fr');
  if (withGrades) {
    const [a, b, c] = report.endpoints;
    if (!a || !b || !c) throw new Error('fixture');
    a.tlsGrade = grade('A');
    a.tlsDetail = { protocols: ['tls1.3'], postQuantum: true };
    b.tlsGrade = grade('A');
    b.tlsDetail = { protocols: ['tls1.2'], postQuantum: false };
    c.tlsGrade = grade('B');
    c.tlsDetail = { protocols: ['tls1.2'], postQuantum: null };
  } else {
    for (const e of report.endpoints) delete e.tlsGrade;
  }
  return { report, week: { year: 2026, week: 49 }, overdueFindings: [], playbooks: [], incidents: [] };
}

describe('the digest’s TLS grades line', () => {
  it('counts the grades and the post-quantum ready endpoints among those observed, in text and HTML', () => {
    const mail = renderDigestEmail(digest(true), 'fr');
    const line = 'Notes TLS : A ×2, B ×1 · post-quantique (hybride accepté) : 1/2';
    expect(mail.text).toContain(line);
    expect(mail.html).toContain(line);
  });
  it('says nothing when no endpoint has a TLS grade', () => {
    expect(renderDigestEmail(digest(false), 'en').text).not.toContain('TLS grades');
  });
});
