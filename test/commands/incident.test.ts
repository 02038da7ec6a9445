import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentDetail, IncidentSummary } from '../../src/app/playbooks-incidents/index.js';
import IncidentCloseCommand from '../../src/commands/incident/close.js';
import IncidentListCommand from '../../src/commands/incident/list.js';
import IncidentNoteCommand from '../../src/commands/incident/note.js';
import IncidentNotifyCommand from '../../src/commands/incident/notify.js';
import IncidentOpenCommand from '../../src/commands/incident/open.js';
import IncidentShowCommand from '../../src/commands/incident/show.js';
import IncidentStepCommand from '../../src/commands/incident/step.js';
import { openStore } from '../../src/store/index.js';
import { playbookText } from '../helpers/playbook-fixture.js';
import { runCommand } from '../helpers/run-command.js';
import { assessed, finding, run } from '../store/store-fixtures.js';

/** A past moment: every deadline is computed from it, and only met/met-late states are asserted. */
const AWARE = '2026-01-05T08:00:00.000Z';
const after = (hours: number) => new Date(Date.parse(AWARE) + hours * 3_600_000).toISOString();

let dir = '';
let env: Record<string, string | undefined> = {};
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-incident-cmd-'));
  const playbooks = path.join(dir, 'playbooks');
  fs.mkdirSync(playbooks);
  fs.writeFileSync(path.join(playbooks, 'PB-001-test.md'), playbookText({ triggers: ['tls.cert.expired'] }));
  env = { VIGIE_DATA_DIR: path.join(dir, 'data'), VIGIE_PLAYBOOKS_DIR: playbooks, VIGIE_LANG: undefined };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('vigie incident', () => {
  it('opens from a playbook, works the steps, notifies, closes, and shows the timeline as JSON', async () => {
    const open = await runCommand(
      IncidentOpenCommand,
      [
        '--playbook',
        'PB-001',
        '--title',
        'Rançongiciel sur le SIG',
        '--aware-at',
        AWARE,
        '--personal-data',
        '--nis2-significant',
        '--severity',
        'critical',
        '--by',
        'rssi',
      ],
      env,
    );
    expect(open.exitCode).toBe(0);
    // The number's year is that of the opening (now), not of the awareness.
    const id =
      /Incident (INC-\d{4}-001) ouvert selon PB-001 : 13 étape\(s\) à suivre/.exec(open.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(open.stdout).toContain(
      'Notification à la CNIL (RGPD art. 33) — échéance 08/01/2026 09:00 (heure de Paris)',
    );

    expect(
      (
        await runCommand(
          IncidentStepCommand,
          [id, 'CON-1', 'done', '--note', 'VLAN isolé', '--by', 'astreinte'],
          env,
        )
      ).stdout,
    ).toContain(`Étape CON-1 de ${id} : faite.`);
    expect(
      (await runCommand(IncidentStepCommand, [id, 'PRE-2', 'skipped', '--by', 'rssi'], env)).exitCode,
    ).toBe(0);
    expect((await runCommand(IncidentStepCommand, [id, 'CON-9', 'done'], env)).exitCode).toBe(2);
    expect((await runCommand(IncidentStepCommand, [id, 'CON-2', 'fait'], env)).exitCode).toBe(2);
    expect(
      (await runCommand(IncidentNoteCommand, [id, 'Sauvegardes intactes', '--by', 'dsi'], env)).exitCode,
    ).toBe(0);

    const cnil = await runCommand(
      IncidentNotifyCommand,
      [id, 'rgpd-art33', '--at', after(70), '--by', 'dpo', '--json'],
      env,
    );
    expect(cnil.exitCode).toBe(0);
    expect(cnil.json<IncidentDetail>().clocks.find((c) => c.id === 'rgpd-art33')).toMatchObject({
      state: 'met',
      metAt: after(70),
    });
    const warning = await runCommand(
      IncidentNotifyCommand,
      [id, 'nis2-early-warning', '--at', after(30), '--by', 'rssi'],
      env,
    );
    expect(warning.stdout).toContain('Alerte précoce au CSIRT (NIS2 art. 23) enregistrée, faite en retard.');
    expect((await runCommand(IncidentNotifyCommand, [id, 'rgpd-art33'], env)).exitCode).toBe(2);

    const listed = await runCommand(IncidentListCommand, ['--json'], env);
    const [summary] = listed.json<{ incidents: IncidentSummary[] }>().incidents;
    expect(summary).toMatchObject({ id, progress: { done: 1, skipped: 1, total: 13 } });
    expect(summary?.clocks.map((c) => c.id)).toEqual([
      'rgpd-art33',
      'nis2-early-warning',
      'nis2-notification',
      'nis2-final-report',
    ]);
    expect(summary?.nextDeadline?.id).toBe('nis2-notification');
    const table = await runCommand(IncidentListCommand, [], env);
    expect(table.stdout).toMatch(new RegExp(`${id} +critique +ouvert +PB-001 +Rançongiciel sur le SIG`));

    const close = await runCommand(
      IncidentCloseCommand,
      [id, '--outcome', 'Restauré depuis les sauvegardes', '--by', 'rssi'],
      env,
    );
    expect(close.stdout).toContain(`Incident ${id} clos.`);
    expect((await runCommand(IncidentCloseCommand, [id, '--outcome', 'encore'], env)).exitCode).toBe(2);
    expect((await runCommand(IncidentListCommand, [], env)).stdout).toContain('Aucun incident ouvert.');

    const show = await runCommand(IncidentShowCommand, [id, '--json'], env);
    const detail = show.json<IncidentDetail>();
    expect(detail.incident).toMatchObject({
      id,
      status: 'closed',
      outcome: 'Restauré depuis les sauvegardes',
    });
    expect(detail.timeline.map((e) => [e.kind, e.by, e.stepId ?? e.clockId])).toEqual([
      ['aware', 'rssi', undefined],
      ['obligation-met', 'rssi', 'nis2-early-warning'],
      ['obligation-met', 'dpo', 'rgpd-art33'],
      ['opened', 'rssi', undefined],
      ['step-done', 'astreinte', 'CON-1'],
      ['step-skipped', 'rssi', 'PRE-2'],
      ['note', 'dsi', undefined],
      ['closed', 'rssi', undefined],
    ]);

    const text = await runCommand(IncidentShowCommand, [id], env);
    expect(text.stdout).toContain(`${id} — Rançongiciel sur le SIG  [critique, clos]`);
    expect(text.stdout).toContain('[faite en retard] Alerte précoce au CSIRT (NIS2 art. 23)');
    expect(text.stdout).toMatch(/\[x\] CON-1 +Première étape de Confinement\./);
    expect(text.stdout).toMatch(/\[-\] PRE-2 +Deuxième étape/);
    expect(text.stdout).toContain('Chronologie');
    const en = await runCommand(IncidentShowCommand, [id, '--lang', 'en'], env);
    expect(en.stdout).toContain('[met late] Early warning to the CSIRT (NIS2 art. 23)');
    expect(en.stdout).toContain('Containment');
  });

  it('opens from a finding, and refuses an unknown incident or a missing playbook', async () => {
    const store = openStore(path.join(dir, 'data'));
    const expired = finding('tls.cert.expired', 'www.exemple.fr', 443, { severity: 'critical' });
    await store.runs.save(
      run('r1', AWARE, [assessed('www.exemple.fr', 443, { 'tls.cert.expired': 'fail' })], [expired]),
    );
    await store.close();
    const out = await runCommand(IncidentOpenCommand, ['--from-finding', expired.fingerprint, '--json'], env);
    expect(out.exitCode).toBe(0);
    expect(out.json<IncidentDetail>().incident).toMatchObject({
      playbookId: 'PB-001',
      severity: 'critical',
      fromFingerprint: expired.fingerprint,
    });

    expect((await runCommand(IncidentShowCommand, ['INC-1999-404'], env)).exitCode).toBe(2);
    const none = await runCommand(IncidentOpenCommand, ['--title', 'x'], env);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('--playbook');
  });

  it('says there is nothing to show before any incident', async () => {
    expect((await runCommand(IncidentListCommand, [], env)).stdout).toContain('Aucun incident ouvert.');
    expect((await runCommand(IncidentListCommand, ['--all', '--json'], env)).json()).toEqual({
      incidents: [],
    });
    expect((await runCommand(IncidentShowCommand, ['INC-2026-001'], env)).exitCode).toBe(4);
  });
});
