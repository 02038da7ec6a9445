import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addIncidentNote,
  breachRegister,
  computeIncidentMetrics,
  closeIncident,
  listIncidents,
  markIncidentStep,
  notifyObligation,
  openIncident,
  showIncident,
} from '../../../src/app/playbooks-incidents/index.js';
import { type AppContext } from '../../../src/app/shared/index.js';
import { fixedClock } from '../../../src/domain/index.js';
import { openStore } from '../../../src/store/index.js';
import { playbookText } from '../../helpers/playbook-fixture.js';
import { assessed, finding, run } from '../../store/store-fixtures.js';

const HOUR = 3_600_000;
/** Friday 27 March 2026, 11:00 in Paris; summer time starts on Sunday 29 March. */
const AWARE = '2026-03-27T10:00:00.000Z';
const after = (hours: number) => new Date(Date.parse(AWARE) + hours * HOUR);

let dir = '';
let playbooksDir = '';
let inventoryFile = '';
const ctx = (hours: number): AppContext => ({
  clock: fixedClock(after(hours)),
  lang: 'fr',
  dataDir: path.join(dir, 'data'),
  playbooksDir,
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-incidents-'));
  playbooksDir = path.join(dir, 'playbooks');
  fs.mkdirSync(playbooksDir);
  fs.writeFileSync(
    path.join(playbooksDir, 'PB-001-test.md'),
    playbookText({ triggers: ['tls.cert.expired'] }),
  );
  inventoryFile = path.join(dir, 'vigie.yml');
  fs.writeFileSync(inventoryFile, 'organisation: { name: Ville Test, timezone: Europe/Paris }\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('an incident run through a playbook, with its regulatory clocks', () => {
  it('opens, works the steps, notes, notifies the CNIL at 70 h, misses the NIS2 early warning, closes', async () => {
    const opened = await openIncident(ctx(1), {
      playbook: 'pb-001',
      title: 'Fuite du fichier des inscriptions',
      awareAt: AWARE,
      personalData: true,
      nis2Significant: true,
      severity: 'high',
      by: 'rssi',
      inventoryFile,
    });
    const id = opened.incident.id;
    expect(id).toBe('INC-2026-001');
    expect(opened.incident).toMatchObject({
      playbookId: 'PB-001',
      severity: 'high',
      awareAt: AWARE,
      openedAt: after(1).toISOString(),
      openedBy: 'rssi',
      status: 'open',
    });
    expect(opened.playbookTitle).toEqual({ fr: 'Fiche de test', en: 'Test playbook' });
    expect(opened.incident.steps.map((s) => s.stepId)).toEqual([
      'PRE-1',
      'PRE-2',
      'IDE-1',
      'IDE-2',
      'CON-1',
      'CON-2',
      'CON-3',
      'REM-1',
      'REM-2',
      'REC-1',
      'REC-2',
      'RETEX-1',
      'RETEX-2',
    ]);
    expect(opened.clocks.map((c) => [c.id, c.state])).toEqual([
      ['rgpd-art33', 'due'],
      ['nis2-early-warning', 'due'],
      ['nis2-notification', 'due'],
      ['nis2-final-report', 'due'],
    ]);
    // 72 h after Friday 11:00 winter time is Monday 12:00 summer time: the hours are elapsed hours.
    expect(opened.clocks[0]).toMatchObject({
      dueAt: after(72).toISOString(),
      dueLocal: { fr: '30/03/2026 12:00 (heure de Paris)' },
      remainingMs: 71 * HOUR,
    });
    expect(opened.nextDeadline?.id).toBe('nis2-early-warning');

    await markIncidentStep(ctx(2), id, 'con-1', 'done', {
      by: 'astreinte',
      note: 'VLAN isolé',
      inventoryFile,
    });
    await markIncidentStep(ctx(3), id, 'PRE-2', 'skipped', { by: 'rssi', inventoryFile });
    await addIncidentNote(ctx(4), id, 'Le prestataire confirme l’exfiltration de 1 200 fiches.', {
      by: 'dpo',
      inventoryFile,
    });

    // Past 24 h: the early warning is overdue, and the list says so first.
    const [listed] = await listIncidents(ctx(25), { inventoryFile });
    expect(listed).toMatchObject({
      id,
      progress: { total: 13, done: 1, skipped: 1, pending: 11 },
      currentPhase: 'PRE',
    });
    expect(listed?.nextDeadline).toMatchObject({
      id: 'nis2-early-warning',
      state: 'overdue',
      remainingMs: -1 * HOUR,
    });
    expect(listed).not.toHaveProperty('steps');

    const notified = await notifyObligation(ctx(71), id, 'rgpd-art33', {
      at: after(70).toISOString(),
      by: 'dpo',
      inventoryFile,
    });
    const clock = (cid: string) => notified.clocks.find((c) => c.id === cid);
    expect(clock('rgpd-art33')).toMatchObject({ state: 'met', metAt: after(70).toISOString() });
    expect(clock('rgpd-art33')).not.toHaveProperty('remainingMs');
    expect(clock('nis2-early-warning')).toMatchObject({ state: 'overdue', remainingMs: -47 * HOUR });
    expect(clock('nis2-notification')).toMatchObject({ state: 'due', remainingMs: 1 * HOUR });

    const closed = await closeIncident(ctx(80), id, 'Fichier retiré, personnes informées', {
      by: 'rssi',
      inventoryFile,
    });
    expect(closed.incident).toMatchObject({
      status: 'closed',
      closedAt: after(80).toISOString(),
      outcome: 'Fichier retiré, personnes informées',
    });
    expect(await listIncidents(ctx(81), { inventoryFile })).toEqual([]);
    expect((await listIncidents(ctx(81), { all: true, inventoryFile })).map((i) => i.id)).toEqual([id]);

    const shown = await showIncident(ctx(81), id, { inventoryFile });
    expect(shown.timeZone).toBe('Europe/Paris');
    expect(shown.incident.notes).toEqual([
      {
        at: after(4).toISOString(),
        by: 'dpo',
        text: 'Le prestataire confirme l’exfiltration de 1 200 fiches.',
      },
    ]);
    expect(shown.timeline.map((e) => [e.at, e.kind, e.by, e.stepId ?? e.clockId ?? e.detail])).toEqual([
      [AWARE, 'aware', 'rssi', undefined],
      [after(1).toISOString(), 'opened', 'rssi', 'PB-001 — Fuite du fichier des inscriptions'],
      [after(2).toISOString(), 'step-done', 'astreinte', 'CON-1'],
      [after(3).toISOString(), 'step-skipped', 'rssi', 'PRE-2'],
      [after(4).toISOString(), 'note', 'dpo', 'Le prestataire confirme l’exfiltration de 1 200 fiches.'],
      [after(70).toISOString(), 'obligation-met', 'dpo', 'rgpd-art33'],
      [after(80).toISOString(), 'closed', 'rssi', 'Fichier retiré, personnes informées'],
    ]);
    // The deadlines of a closed incident still count: the early warning was never sent.
    expect(shown.clocks.find((c) => c.id === 'nis2-early-warning')?.state).toBe('overdue');
  });

  it('numbers incidents in the organisation’s local year', async () => {
    const newYearsEve = (): AppContext => ({ ...ctx(0), clock: fixedClock('2026-12-31T23:30:00.000Z') });
    const detail = await openIncident(newYearsEve(), {
      playbook: 'PB-001',
      title: 'Nuit du réveillon',
      inventoryFile,
    });
    expect(detail.incident.id).toBe('INC-2027-001');
    expect(detail.incident.severity).toBe('medium');
    expect(detail.clocks).toEqual([]);
  });

  it('refuses what cannot be right, as usage errors', async () => {
    const open = (req: Parameters<typeof openIncident>[1]) => openIncident(ctx(1), { inventoryFile, ...req });
    await expect(open({ title: 'x' })).rejects.toThrow(/--playbook/);
    await expect(open({ playbook: 'PB-001' })).rejects.toThrow(/--title/);
    await expect(open({ playbook: 'PB-099', title: 'x' })).rejects.toThrow(
      expect.objectContaining({ exitCode: 2 }),
    );
    await expect(open({ playbook: 'PB-099', title: 'x' })).rejects.toThrow(
      expect.objectContaining({ hint: 'voir `vigie playbook list` (PB-001)' }),
    );
    await expect(open({ playbook: 'PB-001', title: 'x', awareAt: after(2).toISOString() })).rejects.toThrow(
      /dans le futur/,
    );
    await expect(open({ playbook: 'PB-001', title: 'x', awareAt: 'hier' })).rejects.toThrow(/date invalide/);

    const { incident } = await openIncident(ctx(1), {
      playbook: 'PB-001',
      title: 'Sans données personnelles',
      awareAt: AWARE,
      inventoryFile,
    });
    await expect(notifyObligation(ctx(2), incident.id, 'rgpd-art33', { inventoryFile })).rejects.toThrow(
      /ne s’applique pas/,
    );
    await expect(notifyObligation(ctx(2), incident.id, 'cnil', { inventoryFile })).rejects.toThrow(
      /échéance inconnue/,
    );
    await expect(markIncidentStep(ctx(2), incident.id, 'REM-7', 'done', { inventoryFile })).rejects.toThrow(
      /REM-7/,
    );
    await expect(showIncident(ctx(2), 'INC-2026-404', { inventoryFile })).rejects.toThrow(
      expect.objectContaining({ exitCode: 2 }),
    );
    await expect(closeIncident(ctx(2), incident.id, '  ', { inventoryFile })).rejects.toThrow(/--outcome/);

    const personal = await openIncident(ctx(1), {
      playbook: 'PB-001',
      title: 'Données',
      awareAt: AWARE,
      personalData: true,
      inventoryFile,
    });
    await expect(
      notifyObligation(ctx(5), personal.incident.id, 'rgpd-art33', {
        at: after(6).toISOString(),
        inventoryFile,
      }),
    ).rejects.toThrow(/dans le futur/);
    await expect(
      notifyObligation(ctx(5), personal.incident.id, 'rgpd-art33', {
        at: after(-1).toISOString(),
        inventoryFile,
      }),
    ).rejects.toThrow(/précède la prise de connaissance/);
    await notifyObligation(ctx(5), personal.incident.id, 'rgpd-art33', { inventoryFile });
    await expect(
      notifyObligation(ctx(6), personal.incident.id, 'rgpd-art33', { inventoryFile }),
    ).rejects.toThrow(/déjà enregistrée/);
  });

  it('opens an incident from a finding: the playbook that covers its check, and its severity', async () => {
    const store = openStore(path.join(dir, 'data'));
    const expired = finding('tls.cert.expired', 'www.exemple.fr', 443, { severity: 'critical' });
    const xcto = finding('http.xcto.missing', 'www.exemple.fr', 443, { severity: 'low' });
    await store.runs.save(
      run(
        'r1',
        after(-2).toISOString(),
        [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail', 'http.xcto.missing': 'fail' })],
        [expired, xcto],
      ),
    );
    await store.close();

    // The catalogue names PB-008, absent from this library: the playbook whose triggers name the check is taken.
    const detail = await openIncident(ctx(1), {
      fromFinding: expired.fingerprint,
      by: 'rssi',
      inventoryFile,
    });
    expect(detail.incident).toMatchObject({
      playbookId: 'PB-001',
      severity: 'critical',
      fromFingerprint: expired.fingerprint,
      title: 'Certificat expiré — www.exemple.fr:443',
    });
    await expect(openIncident(ctx(1), { fromFinding: xcto.fingerprint, inventoryFile })).rejects.toThrow(
      /aucune fiche réflexe ne couvre le contrôle « http.xcto.missing »/,
    );
    expect(
      (await openIncident(ctx(1), { fromFinding: xcto.fingerprint, playbook: 'PB-001', inventoryFile }))
        .incident,
    ).toMatchObject({
      playbookId: 'PB-001',
      severity: 'low',
    });
    await expect(openIncident(ctx(1), { fromFinding: 'inconnue', inventoryFile })).rejects.toThrow(
      /aucun constat/,
    );
  });
});

describe('incident metrics and the breach register', () => {
  it('measures acknowledge, contain and resolve times, the deadline compliance rate, and lists the breach', async () => {
    const { incident } = await openIncident(ctx(1), {
      playbook: 'PB-001',
      title: 'Fuite du fichier des inscriptions',
      awareAt: AWARE,
      personalData: true,
      nis2Significant: true,
      severity: 'high',
      by: 'rssi',
      inventoryFile,
    });
    await markIncidentStep(ctx(2.5), incident.id, 'CON-1', 'done', { by: 'astreinte', inventoryFile });
    await addIncidentNote(ctx(3), incident.id, 'Export CSV trouvé sur un partage public', {
      by: 'rssi',
      inventoryFile,
    });
    await notifyObligation(ctx(70), incident.id, 'rgpd-art33', {
      at: after(70).toISOString(),
      by: 'dpo',
      inventoryFile,
    });
    await closeIncident(ctx(80), incident.id, 'Partage fermé, personnes informées', {
      by: 'rssi',
      inventoryFile,
    });

    const m = await computeIncidentMetrics(ctx(80), { inventoryFile });
    expect(m.incidents[0]).toMatchObject({ acknowledgeHours: 1, containHours: 2.5, resolveHours: 80 });
    expect(m.byPlaybook[0]).toMatchObject({ playbookId: 'PB-001', incidents: 1, resolveHours: 80 });
    // CNIL in time; NIS2 early warning (24 h) and notification (72 h) missed; final report still running.
    expect(m.deadlines).toEqual({ inTime: 1, late: 0, overdue: 2, pending: 1 });
    expect(m.deadlineCompliance).toBeCloseTo(1 / 3);

    const register = await breachRegister(ctx(80), { inventoryFile });
    expect(register).toHaveLength(1);
    expect(register[0]).toMatchObject({
      incident: incident.id,
      cnilState: 'met',
      cnilNotifiedAt: after(70).toISOString(),
    });
    expect(register[0]?.facts).toContain('partage public');
    expect(register[0]?.measures).toContain('CON-1');
  });
});
