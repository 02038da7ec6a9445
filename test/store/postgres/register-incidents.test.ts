import { describe, expect, it } from 'vitest';
import { IncidentError } from '../../../src/store/index.js';
import type { Incident } from '../../../src/domain/index.js';
import { pgRegister, usePgRegister } from './register-fixtures.js';
import { at, incident } from './register-scenario.js';

const t = usePgRegister('incidents');

const AWARE = at(0);
const OPENED = '2026-03-12T08:00:00.000Z';

describe('incidents and the playbook register on PostgreSQL', () => {
  it('numbers incidents per year and copies the playbook steps as pending tasks', async () => {
    const { incidents } = t.pg();
    const first = await incidents.open(incident());
    const second = await incidents.open(incident({ title: 'Deuxième' }));
    const nextYear = await incidents.open(incident({ year: 2027, openedAt: '2027-01-02T08:00:00.000Z' }));
    expect([first.id, second.id, nextYear.id]).toEqual(['INC-2026-001', 'INC-2026-002', 'INC-2027-001']);
    expect(first).toMatchObject({
      playbookId: 'PB-001',
      severity: 'critical',
      awareAt: AWARE,
      openedAt: OPENED,
      openedBy: 'rssi',
      personalData: true,
      nis2Significant: false,
      status: 'open',
      notes: [],
      obligationsMet: [],
    });
    expect(first.steps).toEqual([
      { stepId: 'PRE-1', phase: 'PRE', text: 'Annuaire de crise à jour', state: 'pending' },
      { stepId: 'CON-1', phase: 'CON', text: 'Isoler le réseau', state: 'pending' },
      { stepId: 'CON-2', phase: 'CON', text: 'Couper les comptes', state: 'pending' },
    ]);
    expect((await incidents.list()).map((i) => i.id)).toEqual([
      'INC-2027-001',
      'INC-2026-002',
      'INC-2026-001',
    ]);
    expect((await incidents.get('inc-2026-002'))?.title).toBe('Deuxième');
    expect(await incidents.get('INC-2026-404')).toBeUndefined();
  });

  it('marks steps, adds notes, records obligations once, closes once, and logs every change in order', async () => {
    const { incidents } = t.pg();
    const { id } = await incidents.open(incident());
    await incidents.setStep(id, 'con-1', { state: 'done', at: at(2), by: 'astreinte', note: 'VLAN isolé' });
    await incidents.setStep(id, 'PRE-1', { state: 'skipped', at: at(3), by: 'rssi' });
    await incidents.addNote(id, { at: at(4), by: 'rssi', text: 'Sauvegardes intactes' });
    const met = await incidents.recordObligationMet(id, {
      clockId: 'rgpd-art33',
      metAt: at(70),
      at: at(71),
      by: 'dpo',
    });
    expect(met.obligationsMet).toEqual([
      { clockId: 'rgpd-art33', metAt: at(70), recordedAt: at(71), by: 'dpo' },
    ]);
    await expect(
      incidents.recordObligationMet(id, { clockId: 'rgpd-art33', metAt: at(72), at: at(72), by: 'dpo' }),
    ).rejects.toThrow(IncidentError);
    await expect(incidents.setStep(id, 'REM-9', { state: 'done', at: at(5), by: 'rssi' })).rejects.toThrow(
      /pas d’étape « REM-9 »/,
    );
    await expect(incidents.addNote('INC-2026-404', { at: at(5), by: 'rssi', text: 'x' })).rejects.toThrow(
      expect.objectContaining({ code: 'unknown-incident', exitCode: 2 }),
    );
    const closed = await incidents.close(id, { at: at(80), by: 'rssi', outcome: 'Restauré' });
    expect(closed).toMatchObject({
      status: 'closed',
      closedAt: at(80),
      closedBy: 'rssi',
      outcome: 'Restauré',
    });
    await expect(incidents.close(id, { at: at(81), by: 'rssi', outcome: 'encore' })).rejects.toThrow(
      expect.objectContaining({ code: 'already-closed' }),
    );

    const shown = await incidents.get(id);
    expect(shown?.steps.map((s) => [s.stepId, s.state, s.by, s.note])).toEqual([
      ['PRE-1', 'skipped', 'rssi', undefined],
      ['CON-1', 'done', 'astreinte', 'VLAN isolé'],
      ['CON-2', 'pending', undefined, undefined],
    ]);
    expect(shown?.notes).toEqual([{ at: at(4), by: 'rssi', text: 'Sauvegardes intactes' }]);
    expect(await incidents.list({ status: ['open'] })).toEqual([]);
    expect((await incidents.list({ status: ['closed'] })).map((i) => i.id)).toEqual([id]);
    expect(
      (await incidents.timeline(id)).map((e) => [e.at, e.kind, e.by, e.stepId ?? e.clockId ?? e.detail]),
    ).toEqual([
      [AWARE, 'aware', 'rssi', undefined],
      [OPENED, 'opened', 'rssi', 'PB-001 — Rançongiciel sur le serveur de fichiers'],
      [at(2), 'step-done', 'astreinte', 'CON-1'],
      [at(3), 'step-skipped', 'rssi', 'PRE-1'],
      [at(4), 'note', 'rssi', 'Sauvegardes intactes'],
      [at(70), 'obligation-met', 'dpo', 'rgpd-art33'],
      [at(80), 'closed', 'rssi', 'Restauré'],
    ]);
    expect((await incidents.timeline(id)).find((e) => e.kind === 'obligation-met')?.recordedAt).toBe(at(71));
  });

  it('keeps the event log append-only and never deletes an incident, in the schema itself', async () => {
    const { id } = await t.pg().incidents.open(incident());
    const pg = t.admin();
    await expect(
      pg.query(`UPDATE incident_events SET "by" = 'x' WHERE incident_id = $1`, [id]),
    ).rejects.toThrow(/append-only/);
    await expect(pg.query(`DELETE FROM incident_events WHERE incident_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(pg.query(`TRUNCATE incident_events`)).rejects.toThrow(/append-only/);
    await expect(pg.query(`DELETE FROM incidents WHERE id = $1`, [id])).rejects.toThrow(/never deleted/);
    await expect(pg.query(`DELETE FROM incident_notes`)).resolves.toBeDefined(); // no row: nothing refused
    await t.pg().incidents.addNote(id, { at: at(1), by: 'rssi', text: 'Note' });
    await expect(pg.query(`DELETE FROM incident_notes`)).rejects.toThrow(/never deleted/);
    expect(await t.pg().incidents.timeline(id)).toHaveLength(3);
  });

  it('numbers incidents opened at once by two processes one after the other, without a gap', async () => {
    const a = pgRegister(await t.connect());
    const b = pgRegister(await t.connect());
    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        (n % 2 === 0 ? a : b).incidents.open(incident({ title: `Incident ${n}` })),
      ),
    );
    expect(opened.map((i) => i.id).sort()).toEqual(
      Array.from({ length: 12 }, (_, n) => `INC-2026-${String(n + 1).padStart(3, '0')}`),
    );
    expect(await t.pg().incidents.list()).toHaveLength(12);
  });

  it('closes an incident once and records an obligation once when two processes try at the same time', async () => {
    const a = pgRegister(await t.connect());
    const b = pgRegister(await t.connect());
    const { id } = await a.incidents.open(incident());
    const settle = (p: Promise<Incident>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof IncidentError ? e.code : String(e)),
      );
    const closing = await Promise.all([
      settle(a.incidents.close(id, { at: at(80), by: 'a', outcome: 'A' })),
      settle(b.incidents.close(id, { at: at(81), by: 'b', outcome: 'B' })),
    ]);
    expect(closing.sort()).toEqual(['already-closed', 'ok']);
    const meeting = await Promise.all([
      settle(
        a.incidents.recordObligationMet(id, { clockId: 'rgpd-art33', metAt: at(70), at: at(71), by: 'a' }),
      ),
      settle(
        b.incidents.recordObligationMet(id, { clockId: 'rgpd-art33', metAt: at(70), at: at(71), by: 'b' }),
      ),
    ]);
    expect(meeting.sort()).toEqual(['already-met', 'ok']);
    const kinds = (await a.incidents.timeline(id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'closed')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'obligation-met')).toHaveLength(1);
  });

  it('records playbook reviews and exercises', async () => {
    const { playbooks } = t.pg();
    const review = await playbooks.recordReview({
      playbookId: 'PB-008',
      at: at(0),
      by: 'rssi',
      notes: ' contacts ',
    });
    expect(review).toEqual({ id: 1, playbookId: 'PB-008', at: AWARE, by: 'rssi', notes: 'contacts' });
    await playbooks.recordReview({ playbookId: 'PB-001', at: at(1), by: 'dsi' });
    expect((await playbooks.listReviews('PB-001')).map((r) => [r.by, r.notes])).toEqual([['dsi', undefined]]);
    expect(await playbooks.listReviews()).toHaveLength(2);

    const exercise = await playbooks.recordExercise({
      playbookId: 'PB-001',
      date: '2026-03-10',
      kind: 'tabletop',
      participants: 8,
      findings: 'Annuaire de crise périmé',
      recordedAt: at(0),
      by: 'rssi',
    });
    expect(exercise).toEqual({
      id: 1,
      playbookId: 'PB-001',
      date: '2026-03-10',
      kind: 'tabletop',
      participants: 8,
      findings: 'Annuaire de crise périmé',
      recordedAt: AWARE,
      by: 'rssi',
    });
    await expect(playbooks.recordExercise({ ...exercise, date: '2026-02-30' })).rejects.toThrow(
      /date d’exercice invalide/,
    );
    await expect(playbooks.recordExercise({ ...exercise, participants: 0 })).rejects.toThrow(/participants/);
    expect(await playbooks.listExercises('PB-001')).toHaveLength(1);
    expect(await playbooks.listExercises('PB-002')).toEqual([]);
  });
});
