import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, IncidentError, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/index.js';
import type { OpenIncidentInput } from '../../src/store/index.js';
import { applyMigrations } from '../../src/store/sqlite/migrations.js';
import { storeBackends, useStoreBackend } from '../helpers/store-backends.js';
import { assessed, finding, run, T1, T2, useTempStore, WWW } from './store-fixtures.js';

const AWARE = '2026-03-12T07:30:00.000Z';
const OPENED = '2026-03-12T08:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(AWARE) + hours * 3_600_000).toISOString();

function incident(over: Partial<OpenIncidentInput> = {}): OpenIncidentInput {
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

describe('migration 3 (SQLite)', () => {
  const { dir, open } = useTempStore();

  it('upgrades a version-2 database holding data, keeping it, and adds the playbook and incident tables', async () => {
    fs.mkdirSync(dir(), { recursive: true });
    const file = path.join(dir(), DATABASE_FILE);
    const v2 = new Database(file);
    expect(
      applyMigrations(
        v2,
        MIGRATIONS.filter((m) => m.version <= 2),
      ),
    ).toEqual({
      status: 'migrated',
      from: 0,
      to: 2,
    });
    v2.prepare(`INSERT INTO runs VALUES ('r0', ?, ?, '2025.1', '["inventory"]', 0, 0, NULL)`).run(T1, T1);
    v2.close();

    const store = open();
    expect((await store.runs.list()).map((r) => r.id)).toEqual(['r0']);
    const expired = finding('tls.cert.expired', WWW, 443);
    await store.runs.save(run('r1', T2, [assessed(WWW, 443, { 'tls.cert.expired': 'fail' })], [expired]));
    expect(await store.incidents.list()).toEqual([]);
    expect(await store.playbooks.listReviews()).toEqual([]);
    expect((await store.incidents.open(incident())).id).toBe('INC-2026-001');
    await store.close();

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
      const tables = db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'runs',
          'findings',
          'waivers',
          'playbook_reviews',
          'playbook_exercises',
          'incidents',
          'incident_steps',
          'incident_notes',
          'incident_obligations',
          'incident_events',
        ]),
      );
    } finally {
      db.close();
    }
  });
});

describe.each(storeBackends)('incidents in the store ($name)', (backend) => {
  const { open } = useStoreBackend(backend);

  it('numbers incidents per year and copies the playbook steps as pending tasks', async () => {
    const { store } = await open();
    const first = await store.incidents.open(incident());
    const second = await store.incidents.open(incident({ title: 'Deuxième' }));
    const nextYear = await store.incidents.open(
      incident({ year: 2027, openedAt: '2027-01-02T08:00:00.000Z' }),
    );
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
    expect((await store.incidents.list()).map((i) => i.id)).toEqual([
      'INC-2027-001',
      'INC-2026-002',
      'INC-2026-001',
    ]);
    expect((await store.incidents.get('inc-2026-002'))?.title).toBe('Deuxième');
    expect(await store.incidents.get('INC-2026-404')).toBeUndefined();
  });

  it('marks steps, adds notes, records obligations once, closes once, and logs every change in order', async () => {
    const { store } = await open();
    const { id } = await store.incidents.open(incident());
    await store.incidents.setStep(id, 'con-1', {
      state: 'done',
      at: at(2),
      by: 'astreinte',
      note: 'VLAN isolé',
    });
    await store.incidents.setStep(id, 'PRE-1', { state: 'skipped', at: at(3), by: 'rssi' });
    await store.incidents.addNote(id, { at: at(4), by: 'rssi', text: 'Sauvegardes intactes' });
    const met = await store.incidents.recordObligationMet(id, {
      clockId: 'rgpd-art33',
      metAt: at(70),
      at: at(71),
      by: 'dpo',
    });
    expect(met.obligationsMet).toEqual([
      { clockId: 'rgpd-art33', metAt: at(70), recordedAt: at(71), by: 'dpo' },
    ]);
    await expect(
      store.incidents.recordObligationMet(id, {
        clockId: 'rgpd-art33',
        metAt: at(72),
        at: at(72),
        by: 'dpo',
      }),
    ).rejects.toThrow(IncidentError);
    await expect(
      store.incidents.setStep(id, 'REM-9', { state: 'done', at: at(5), by: 'rssi' }),
    ).rejects.toThrow(/pas d’étape « REM-9 »/);
    await expect(
      store.incidents.addNote('INC-2026-404', { at: at(5), by: 'rssi', text: 'x' }),
    ).rejects.toThrow(expect.objectContaining({ code: 'unknown-incident', exitCode: 2 }));
    const closed = await store.incidents.close(id, { at: at(80), by: 'rssi', outcome: 'Restauré' });
    expect(closed).toMatchObject({
      status: 'closed',
      closedAt: at(80),
      closedBy: 'rssi',
      outcome: 'Restauré',
    });
    await expect(store.incidents.close(id, { at: at(81), by: 'rssi', outcome: 'encore' })).rejects.toThrow(
      expect.objectContaining({ code: 'already-closed' }),
    );

    const shown = await store.incidents.get(id);
    expect(shown?.steps.map((s) => [s.stepId, s.state, s.by, s.note])).toEqual([
      ['PRE-1', 'skipped', 'rssi', undefined],
      ['CON-1', 'done', 'astreinte', 'VLAN isolé'],
      ['CON-2', 'pending', undefined, undefined],
    ]);
    expect(shown?.notes).toEqual([{ at: at(4), by: 'rssi', text: 'Sauvegardes intactes' }]);
    expect(await store.incidents.list({ status: ['open'] })).toEqual([]);
    expect((await store.incidents.list({ status: ['closed'] })).map((i) => i.id)).toEqual([id]);

    expect(
      (await store.incidents.timeline(id)).map((e) => [
        e.at,
        e.kind,
        e.by,
        e.stepId ?? e.clockId ?? e.detail,
      ]),
    ).toEqual([
      [AWARE, 'aware', 'rssi', undefined],
      [OPENED, 'opened', 'rssi', 'PB-001 — Rançongiciel sur le serveur de fichiers'],
      [at(2), 'step-done', 'astreinte', 'CON-1'],
      [at(3), 'step-skipped', 'rssi', 'PRE-1'],
      [at(4), 'note', 'rssi', 'Sauvegardes intactes'],
      [at(70), 'obligation-met', 'dpo', 'rgpd-art33'],
      [at(80), 'closed', 'rssi', 'Restauré'],
    ]);
    expect((await store.incidents.timeline(id)).find((e) => e.kind === 'obligation-met')?.recordedAt).toBe(
      at(71),
    );
  });

  it('records playbook reviews and exercises', async () => {
    const { store } = await open();
    const review = await store.playbooks.recordReview({
      playbookId: 'PB-008',
      at: at(0),
      by: 'rssi',
      notes: ' contacts ',
    });
    expect(review).toEqual({ id: 1, playbookId: 'PB-008', at: AWARE, by: 'rssi', notes: 'contacts' });
    await store.playbooks.recordReview({ playbookId: 'PB-001', at: at(1), by: 'dsi' });
    expect((await store.playbooks.listReviews('PB-001')).map((r) => [r.by, r.notes])).toEqual([
      ['dsi', undefined],
    ]);
    expect(await store.playbooks.listReviews()).toHaveLength(2);

    const exercise = await store.playbooks.recordExercise({
      playbookId: 'PB-001',
      date: '2026-03-10',
      kind: 'tabletop',
      participants: 8,
      findings: 'Annuaire de crise périmé',
      recordedAt: at(0),
      by: 'rssi',
    });
    expect(exercise).toMatchObject({
      playbookId: 'PB-001',
      date: '2026-03-10',
      kind: 'tabletop',
      participants: 8,
    });
    await expect(
      store.playbooks.recordExercise({ ...exercise, date: '2026-02-30', recordedAt: at(0) }),
    ).rejects.toThrow(/date d’exercice invalide/);
    await expect(
      store.playbooks.recordExercise({ ...exercise, participants: 0, recordedAt: at(0) }),
    ).rejects.toThrow(/participants/);
    expect(await store.playbooks.listExercises('PB-001')).toHaveLength(1);
    expect(await store.playbooks.listExercises('PB-002')).toEqual([]);
  });
});

// The same triggers on PostgreSQL: postgres/register-incidents.test.ts, through SQL of its own.
describe('incidents in the SQLite schema', () => {
  const { dir, open } = useTempStore();

  it('keeps the event log append-only and never deletes an incident, in the schema itself', async () => {
    const store = open();
    const { id } = await store.incidents.open(incident());
    await store.close();
    const db = new Database(path.join(dir(), DATABASE_FILE));
    try {
      expect(() => db.prepare(`UPDATE incident_events SET by = 'x' WHERE incident_id = ?`).run(id)).toThrow(
        /append-only/,
      );
      expect(() => db.prepare(`DELETE FROM incident_events WHERE incident_id = ?`).run(id)).toThrow(
        /append-only/,
      );
      expect(() => db.prepare(`DELETE FROM incidents WHERE id = ?`).run(id)).toThrow(/never deleted/);
    } finally {
      db.close();
    }
  });
});
