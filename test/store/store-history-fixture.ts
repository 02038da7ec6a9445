import type { Store } from '../../src/store/index.js';
import { assessed, finding, run, T1, T2, T3, WWW } from './store-fixtures.js';

const MAIL = 'mail.exemple.fr';

/**
 * A history touching every table: three runs (a finding resolved, one regressed), a waiver, a
 * report, mail sent, daemon state, playbook register, an incident with steps and notes, GitHub links,
 * a discovery run and its names, and a run left running with staged findings.
 */
export async function populateHistory(store: Store): Promise<void> {
  const hsts = finding('http.hsts.missing', WWW, 443, { severity: 'medium' });
  const expired = finding('tls.cert.expired', WWW, 443, {
    severity: 'critical',
    details: { notAfter: '2025-01-01' },
  });
  const weak = finding('tls.protocol.legacy', MAIL, 465, { key: 'TLSv1.0' });
  const checks = { 'http.hsts.missing': 'fail', 'tls.cert.expired': 'fail' } as const;
  await store.runs.save(
    run('r1', T1, [assessed(WWW, 443, checks), assessed(MAIL, 465, {})], [hsts, expired, weak]),
  );
  await store.runs.save(
    run(
      'r2',
      T2,
      [assessed(WWW, 443, { ...checks, 'tls.cert.expired': 'pass' }), assessed(MAIL, 465, {})],
      [hsts, weak],
    ),
  );
  await store.runs.save(
    run('r3', T3, [assessed(WWW, 443, checks), assessed(MAIL, 465, {})], [hsts, expired, weak]),
  );
  await store.waivers.waive(hsts.fingerprint, {
    reason: 'Site retiré en avril',
    until: '2025-06-01T00:00:00.000Z',
    by: 'rssi',
    at: T3,
  });
  await store.reports.record({ at: T3, format: 'html', postureIndex: 61.5 });
  await store.outbox.reserve({
    key: 'digest:2025-W10',
    kind: 'digest',
    subject: 'Synthèse',
    recipients: ['dsi@exemple.fr', 'dgs@exemple.fr'],
    at: T3,
  });
  await store.outbox.markSent('digest:2025-W10', { at: T3, messageId: '<1@exemple.fr>' });
  await store.daemon.jobStarted('scan', T3);
  await store.daemon.jobFinished('scan', { at: T3, outcome: 'ok', nextRunAt: '2025-03-04T02:00:00.000Z' });
  await store.daemon.writeHeartbeat({ pid: 4242, hostname: 'vigie-1', startedAt: T1, at: T3 });
  await store.playbooks.recordReview({ playbookId: 'PB-001', at: T2, by: 'rssi', notes: 'relue' });
  await store.playbooks.recordExercise({
    playbookId: 'PB-001',
    date: '2025-03-02',
    kind: 'tabletop',
    participants: 6,
    findings: 'annuaire de crise à jour',
    recordedAt: T2,
    by: 'rssi',
  });
  const inc = await store.incidents.open({
    year: 2025,
    playbookId: 'PB-001',
    title: 'Rançongiciel',
    severity: 'critical',
    awareAt: T2,
    openedAt: T2,
    by: 'rssi',
    personalData: true,
    nis2Significant: false,
    steps: [
      { stepId: 'CON-1', phase: 'CON', text: 'Isoler le réseau' },
      { stepId: 'CON-2', phase: 'CON', text: 'Couper les comptes' },
    ],
  });
  await store.incidents.setStep(inc.id, 'CON-1', { state: 'done', at: T3, by: 'rssi' });
  await store.incidents.addNote(inc.id, { at: T3, by: 'rssi', text: 'Réseau isolé à 10 h' });
  await store.githubLinks.save({
    subject: `finding:${hsts.fingerprint}`,
    kind: 'finding',
    issueNumber: 12,
    bodyHash: 'abc',
    state: 'open',
    updatedAt: T3,
  });
  await store.discovery.saveRun({ ...run('d1', T3, [], []), kind: 'discovery', targets: ['exemple.fr'] }, [
    {
      name: 'old.exemple.fr',
      domain: 'exemple.fr',
      class: 'new',
      sources: ['ct'],
      details: { addresses: ['192.0.2.1'] },
    },
  ]);
  await store.runs.begin({
    id: 'r4',
    startedAt: '2099-01-01T00:00:00.000Z',
    scoringVersion: '2025.1',
    targets: ['inventory'],
  });
  await store.runs.append('r4', { endpoints: [assessed(WWW, 443, checks)], findings: [hsts] });
}
