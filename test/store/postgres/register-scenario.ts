import type { OpenIncidentInput } from '../../../src/store/index.js';
import { outcome, type Register } from './register-fixtures.js';

/** The same calls, in the same order, on any backend: what each gave (values and errors). */

const AWARE = '2026-03-12T07:30:00.000Z';
const OPENED = '2026-03-12T08:00:00.000Z';
export const at = (hours: number): string => new Date(Date.parse(AWARE) + hours * 3_600_000).toISOString();

export function incident(over: Partial<OpenIncidentInput> = {}): OpenIncidentInput {
  return {
    year: 2026,
    playbookId: 'PB-001',
    title: 'Rançongiciel sur le serveur de fichiers',
    severity: 'critical',
    awareAt: AWARE,
    openedAt: OPENED,
    by: 'rssi',
    personalData: true,
    nis2Significant: false,
    steps: [
      { stepId: 'PRE-1', phase: 'PRE', text: 'Annuaire de crise à jour' },
      { stepId: 'CON-1', phase: 'CON', text: 'Isoler le réseau' },
      { stepId: 'CON-2', phase: 'CON', text: 'Couper les comptes' },
    ],
    ...over,
  };
}

export type Log = [string, unknown][];

/** Writes (and reads between them) on every register area, errors included. */
export async function writeScenario(r: Register): Promise<Log> {
  const log: Log = [];
  const step = async (name: string, call: () => Promise<unknown>): Promise<void> => {
    log.push([name, await outcome(call)]);
  };

  await step('report.last.empty', () => r.reports.last());
  await step('report.record.1', () => r.reports.record({ at: at(0), format: 'md', postureIndex: 61.5 }));
  await step('report.record.2', () => r.reports.record({ at: '2026-03-12T10:00:00+01:00', format: 'html' }));
  await step('report.record.3', () => r.reports.record({ at: at(5), format: 'json', postureIndex: 70 }));
  await step('report.record.same-at', () => r.reports.record({ at: at(5), format: 'csv', postureIndex: 0 }));
  await step('report.record.bad-at', () => r.reports.record({ at: 'jamais', format: 'md' }));
  await step('report.record.nan', () => r.reports.record({ at: at(6), format: 'md', postureIndex: NaN }));
  await step('report.record.empty-format', () => r.reports.record({ at: at(6), format: ' ' }));
  await step('report.last', () => r.reports.last());
  await step('report.last.before-3', () => r.reports.last(at(5)));
  await step('report.last.before-offset', () => r.reports.last('2026-03-12T09:30:00+01:00'));
  await step('report.last.before-first', () => r.reports.last(at(0)));
  await step('report.last.bad', () => r.reports.last('hier'));

  await step('review.1', () =>
    r.playbooks.recordReview({ playbookId: 'PB-008', at: at(0), by: 'rssi', notes: ' contacts ' }),
  );
  await step('review.2', () => r.playbooks.recordReview({ playbookId: 'PB-001', at: at(1), by: 'dsi' }));
  await step('review.3', () =>
    r.playbooks.recordReview({
      playbookId: 'PB-001',
      at: '2026-03-12T06:00:00+01:00',
      by: 'dpo',
      notes: '  ',
    }),
  );
  await step('review.empty-by', () => r.playbooks.recordReview({ playbookId: 'PB-001', at: at(1), by: ' ' }));
  await step('review.bad-at', () => r.playbooks.recordReview({ playbookId: 'PB-001', at: 'x', by: 'dsi' }));
  await step('reviews', () => r.playbooks.listReviews());
  await step('reviews.PB-001', () => r.playbooks.listReviews('PB-001'));
  await step('reviews.none', () => r.playbooks.listReviews('PB-404'));
  const exercise = {
    playbookId: 'PB-001',
    date: '2026-03-10',
    kind: 'tabletop' as const,
    participants: 8,
    findings: 'Annuaire de crise périmé',
    recordedAt: at(0),
    by: 'rssi',
  };
  await step('exercise.1', () => r.playbooks.recordExercise(exercise));
  await step('exercise.2', () =>
    r.playbooks.recordExercise({ ...exercise, date: '2026-01-05', kind: 'technical', participants: 2 }),
  );
  await step('exercise.bad-date', () => r.playbooks.recordExercise({ ...exercise, date: '2026-02-30' }));
  await step('exercise.no-one', () => r.playbooks.recordExercise({ ...exercise, participants: 0 }));
  await step('exercise.no-findings', () => r.playbooks.recordExercise({ ...exercise, findings: ' ' }));
  await step('exercises', () => r.playbooks.listExercises());
  await step('exercises.PB-002', () => r.playbooks.listExercises('PB-002'));

  await step('incident.open.1', () => r.incidents.open(incident()));
  await step('incident.open.2', () => r.incidents.open(incident({ title: 'Deuxième', severity: 'low' })));
  await step('incident.open.2027', () =>
    r.incidents.open(
      incident({
        year: 2027,
        openedAt: '2027-01-02T08:00:00.000Z',
        fromFingerprint: 'abc',
        nis2Significant: true,
      }),
    ),
  );
  await step('incident.open.no-step', () => r.incidents.open(incident({ steps: [] })));
  await step('incident.open.bad-year', () => r.incidents.open(incident({ year: 0 })));
  await step('incident.open.no-title', () => r.incidents.open(incident({ title: '  ' })));
  await step('incident.open.bad-aware', () => r.incidents.open(incident({ awareAt: 'x' })));
  const id = 'INC-2026-001';
  await step('step.done', () =>
    r.incidents.setStep(id, 'con-1', { state: 'done', at: at(2), by: 'astreinte', note: 'VLAN isolé' }),
  );
  await step('step.skipped', () =>
    r.incidents.setStep(id, 'PRE-1', { state: 'skipped', at: at(3), by: 'rssi' }),
  );
  await step('step.again', () =>
    r.incidents.setStep(' inc-2026-001 ', 'CON-1', { state: 'skipped', at: at(3.5), by: 'rssi', note: ' ' }),
  );
  await step('step.unknown', () =>
    r.incidents.setStep(id, 'REM-9', { state: 'done', at: at(5), by: 'rssi' }),
  );
  await step('step.unknown-incident', () =>
    r.incidents.setStep('INC-2026-404', 'CON-1', { state: 'done', at: at(5), by: 'rssi' }),
  );
  await step('step.no-by', () => r.incidents.setStep(id, 'CON-2', { state: 'done', at: at(5), by: '' }));
  await step('note', () =>
    r.incidents.addNote(id, { at: at(4), by: 'rssi', text: ' Sauvegardes intactes ' }),
  );
  await step('note.earlier', () => r.incidents.addNote(id, { at: at(1), by: 'dpo', text: 'Avant' }));
  await step('note.empty', () => r.incidents.addNote(id, { at: at(4), by: 'rssi', text: ' ' }));
  await step('note.unknown', () => r.incidents.addNote('INC-2026-404', { at: at(5), by: 'rssi', text: 'x' }));
  await step('obligation', () =>
    r.incidents.recordObligationMet(id, { clockId: 'rgpd-art33', metAt: at(70), at: at(71), by: 'dpo' }),
  );
  await step('obligation.other', () =>
    r.incidents.recordObligationMet(id, {
      clockId: 'nis2-early-warning',
      metAt: at(20),
      at: at(72),
      by: 'rssi',
    }),
  );
  await step('obligation.again', () =>
    r.incidents.recordObligationMet(id, { clockId: 'rgpd-art33', metAt: at(72), at: at(72), by: 'dpo' }),
  );
  await step('close', () => r.incidents.close(id, { at: at(80), by: 'rssi', outcome: 'Restauré' }));
  await step('close.again', () => r.incidents.close(id, { at: at(81), by: 'rssi', outcome: 'encore' }));
  await step('close.no-outcome', () =>
    r.incidents.close('INC-2026-002', { at: at(81), by: 'rssi', outcome: '' }),
  );
  await step('close.unknown', () =>
    r.incidents.close('INC-1999-001', { at: at(81), by: 'rssi', outcome: 'x' }),
  );
  await step('incident.get', () => r.incidents.get('inc-2026-001'));
  await step('incident.get.unknown', () => r.incidents.get('INC-2026-404'));
  await step('incidents', () => r.incidents.list());
  await step('incidents.open', () => r.incidents.list({ status: ['open'] }));
  await step('incidents.closed', () => r.incidents.list({ status: ['closed'] }));
  await step('incidents.both', () => r.incidents.list({ status: ['open', 'closed'] }));
  await step('incidents.none', () => r.incidents.list({ status: [] }));
  await step('timeline', () => r.incidents.timeline(id));
  await step('timeline.lower', () => r.incidents.timeline('inc-2027-001'));
  await step('timeline.unknown', () => r.incidents.timeline('INC-2026-404'));

  const digest = {
    key: 'digest:2026-W48',
    kind: 'digest' as const,
    subject: 'S',
    recipients: ['dgs@exemple.fr', 'rssi@exemple.fr'],
    at: '2026-11-23T07:00:00.000Z',
  };
  await step('outbox.reserve', () => r.outbox.reserve(digest));
  await step('outbox.reserve.again', () =>
    r.outbox.reserve({ ...digest, subject: 'other', recipients: [], at: '2026-11-23T08:00:00.000Z' }),
  );
  await step('outbox.alert', () =>
    r.outbox.reserve({
      key: 'alert:cert:ab:14',
      kind: 'alert',
      subject: 'A',
      recipients: [],
      at: '2026-11-23T06:00:00.000Z',
    }),
  );
  await step('outbox.claim.early', () =>
    r.outbox.claim(digest.key, { at: '2026-11-23T06:59:59.000Z', until: '2026-11-23T07:10:00.000Z' }),
  );
  await step('outbox.claim', () =>
    r.outbox.claim(digest.key, { at: '2026-11-23T07:00:00.000Z', until: '2026-11-23T07:00:00.500Z' }),
  );
  await step('outbox.claim.taken', () =>
    r.outbox.claim(digest.key, { at: '2026-11-23T07:00:00.100Z', until: '2026-11-23T07:10:00.000Z' }),
  );
  await step('outbox.claim.unknown', () =>
    r.outbox.claim('digest:1999-W01', { at: '2026-11-23T07:00:00.000Z', until: '2026-11-23T07:10:00.000Z' }),
  );
  await step('outbox.failed', () =>
    r.outbox.markFailed(digest.key, {
      at: '2026-11-23T07:00:01.000Z',
      error: 'ECONNREFUSED',
      nextAttemptAt: '2026-11-23T07:01:00.000Z',
    }),
  );
  await step('outbox.due.before', () =>
    r.outbox.list({ dueBy: '2026-11-23T07:00:30.000Z', states: ['pending', 'failed'] }),
  );
  await step('outbox.due.after', () =>
    r.outbox.list({ dueBy: '2026-11-23T07:01:00.000Z', states: ['pending', 'failed'] }),
  );
  await step('outbox.kind', () => r.outbox.list({ kind: 'alert' }));
  await step('outbox.failed-only', () => r.outbox.list({ states: ['failed'] }));
  await step('outbox.sent', () =>
    r.outbox.markSent(digest.key, { at: '2026-11-23T07:01:02.000Z', messageId: '<m@x>' }),
  );
  await step('outbox.sent.again', () => r.outbox.markSent(digest.key, { at: '2026-11-23T07:09:00.000Z' }));
  await step('outbox.failed.late', () =>
    r.outbox.markFailed(digest.key, {
      at: '2026-11-23T07:02:00.000Z',
      error: 'late',
      nextAttemptAt: '2026-11-23T07:03:00.000Z',
    }),
  );
  await step('outbox.sent.no-id', () =>
    r.outbox.markSent('alert:cert:ab:14', { at: '2026-11-23T07:05:00.000Z' }),
  );
  await step('outbox.claim.sent', () =>
    r.outbox.claim(digest.key, { at: '2026-11-24T00:00:00.000Z', until: '2026-11-24T00:10:00.000Z' }),
  );
  await step('outbox.claim.sent-alert', () =>
    r.outbox.claim('alert:cert:ab:14', { at: '2026-11-23T08:00:00.000Z', until: '2026-11-23T08:10:00.000Z' }),
  );
  const finding = { key: 'alert:finding:zz', kind: 'alert' as const, subject: 'F', recipients: ['a@b.fr'] };
  await step('outbox.finding', () => r.outbox.reserve({ ...finding, at: '2026-11-23T06:30:00.000Z' }));
  await step('outbox.finding.failed', () =>
    r.outbox.markFailed(finding.key, {
      at: '2026-11-23T06:30:01.000Z',
      error: 'x',
      nextAttemptAt: '2026-11-23T07:30:00.000Z',
    }),
  );
  await step('outbox.claim.backoff', () =>
    r.outbox.claim(finding.key, { at: '2026-11-23T07:29:59.000Z', until: '2026-11-23T07:40:00.000Z' }),
  );
  await step('outbox.claim.after-backoff', () =>
    r.outbox.claim(finding.key, { at: '2026-11-23T07:30:00.000Z', until: '2026-11-23T07:40:00.000Z' }),
  );
  await step('outbox.get', () => r.outbox.get(digest.key));
  await step('outbox.get.unknown', () => r.outbox.get('digest:1999-W01'));
  await step('outbox.reserve.after-sent', () => r.outbox.reserve(digest));
  await step('outbox.all', () => r.outbox.list());

  await step('jobs.empty', () => r.daemon.listJobs());
  await step('heartbeat.empty', () => r.daemon.readHeartbeat());
  await step('stopped.none', () => r.daemon.markStopped('2026-11-28T00:00:00.000Z'));
  await step('job.started', () => r.daemon.jobStarted('scan', '2026-11-28T01:00:00.000Z'));
  await step('job.finished', () =>
    r.daemon.jobFinished('scan', {
      at: '2026-11-28T01:02:00.000Z',
      outcome: 'ok',
      nextRunAt: '2026-11-29T01:00:00.000Z',
    }),
  );
  await step('job.finished.keep-next', () =>
    r.daemon.jobFinished('scan', { at: '2026-11-28T01:03:00.000Z', outcome: 'error', detail: 'boom' }),
  );
  await step('job.next', () => r.daemon.setJobNextRun('digest', '2026-11-30T07:00:00.000Z'));
  await step('job.finished.new', () =>
    r.daemon.jobFinished('alerts', { at: '2026-11-28T01:04:00.000Z', outcome: 'skipped' }),
  );
  await step('jobs', () => r.daemon.listJobs());
  await step('heartbeat.write', () =>
    r.daemon.writeHeartbeat({
      pid: 4242,
      hostname: 'h',
      startedAt: '2026-11-28T00:00:00.000Z',
      at: '2026-11-28T01:02:00.000Z',
    }),
  );
  await step('heartbeat.stop', () => r.daemon.markStopped('2026-11-28T02:00:00.000Z'));
  await step('heartbeat.stopped', () => r.daemon.readHeartbeat());
  await step('heartbeat.restart', () =>
    r.daemon.writeHeartbeat({
      pid: 4243,
      hostname: 'h2',
      startedAt: '2026-11-28T03:00:00.000Z',
      at: '2026-11-28T03:00:01.000Z',
    }),
  );
  await step('heartbeat', () => r.daemon.readHeartbeat());

  await step('links.empty', () => r.githubLinks.list());
  await step('link.finding', () =>
    r.githubLinks.save({
      subject: 'finding:ff',
      kind: 'finding',
      issueNumber: 12,
      bodyHash: 'h1',
      state: 'open',
      updatedAt: at(1),
    }),
  );
  await step('link.incident', () =>
    r.githubLinks.save({
      subject: 'incident:INC-2026-001',
      kind: 'incident',
      issueNumber: 3,
      state: 'open',
      updatedAt: at(2),
    }),
  );
  await step('link.replace', () =>
    r.githubLinks.save({
      subject: 'finding:ff',
      kind: 'finding',
      issueNumber: 13,
      state: 'closed',
      updatedAt: at(3),
    }),
  );
  await step('links', () => r.githubLinks.list());
  return log;
}

/** Every read of every area (after a copy: the same answers). */
export async function readScenario(r: Register): Promise<Log> {
  const log: Log = [];
  const step = async (name: string, call: () => Promise<unknown>): Promise<void> => {
    log.push([name, await outcome(call)]);
  };
  await step('report.last', () => r.reports.last());
  await step('report.last.before', () => r.reports.last(at(5)));
  await step('reviews', () => r.playbooks.listReviews());
  await step('exercises', () => r.playbooks.listExercises());
  await step('incidents', () => r.incidents.list());
  for (const id of ['INC-2026-001', 'INC-2026-002', 'INC-2027-001']) {
    await step(`timeline.${id}`, () => r.incidents.timeline(id));
  }
  await step('outbox', () => r.outbox.list());
  await step('jobs', () => r.daemon.listJobs());
  await step('heartbeat', () => r.daemon.readHeartbeat());
  await step('links', () => r.githubLinks.list());
  return log;
}

/** Writes after a copy: new ids and numbers go on from the copied ones. */
export async function moreWrites(r: Register): Promise<Log> {
  const log: Log = [];
  const step = async (name: string, call: () => Promise<unknown>): Promise<void> => {
    log.push([name, await outcome(call)]);
  };
  await step('review', () => r.playbooks.recordReview({ playbookId: 'PB-002', at: at(9), by: 'dsi' }));
  await step('exercise', () =>
    r.playbooks.recordExercise({
      playbookId: 'PB-002',
      date: '2026-03-11',
      kind: 'technical',
      participants: 3,
      findings: 'RAS',
      recordedAt: at(9),
      by: 'dsi',
    }),
  );
  await step('incident', () => r.incidents.open(incident({ title: 'Troisième' })));
  await step('note', () => r.incidents.addNote('INC-2026-002', { at: at(9), by: 'rssi', text: 'Suite' }));
  await step('timeline', () => r.incidents.timeline('INC-2026-002'));
  await step('report', () => r.reports.record({ at: at(9), format: 'md' }));
  await step('report.last', () => r.reports.last());
  return log;
}
