import { Flags } from '@oclif/core';
import path from 'node:path';
import type { IncidentMetrics } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

const h = (v: number | undefined) => (v === undefined ? '—' : `${v} h`);

export default class IncidentMetricsCommand extends BaseCommand<typeof IncidentMetricsCommand> {
  static override summary = 'Délais de réponse aux incidents et respect des délais réglementaires.';
  static override description = `Par incident et en médiane par fiche réflexe, en heures depuis la prise de connaissance :
prise en charge (ouverture de l’incident), confinement (première étape « Confinement » faite), résolution (clôture).
Taux de respect des délais : obligations faites à temps parmi celles dont l’échéance est passée ou qui sont faites.`;
  static override examples = [
    '<%= config.bin %> incident metrics',
    '<%= config.bin %> incident metrics --year 2026 --json',
  ];
  static override flags = {
    year: Flags.integer({
      summary: 'Ne compter que les incidents connus cette année-là.',
      min: 2000,
      max: 2100,
    }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<IncidentMetrics> {
    const { computeIncidentMetrics } = await import('../../app/playbooks-incidents/index.js');
    const m = await computeIncidentMetrics(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      ...(this.flags.year
        ? { from: `${this.flags.year}-01-01T00:00:00.000Z`, to: `${this.flags.year + 1}-01-01T00:00:00.000Z` }
        : {}),
    });
    const l = this.lang;
    this.say(
      renderTable(
        [
          t(l, 'metrics.incident'),
          t(l, 'metrics.playbook'),
          t(l, 'metrics.acknowledge'),
          t(l, 'metrics.contain'),
          t(l, 'metrics.resolve'),
          t(l, 'metrics.deadlines'),
        ],
        m.incidents.map((i) => [
          i.id,
          i.playbookId,
          h(i.acknowledgeHours),
          h(i.containHours),
          h(i.resolveHours),
          `${i.clocks.met}/${i.clocks.applicable}`,
        ]),
      ),
    );
    this.say('');
    this.say(
      renderTable(
        [
          t(l, 'metrics.playbook'),
          t(l, 'metrics.count'),
          t(l, 'metrics.acknowledge'),
          t(l, 'metrics.contain'),
          t(l, 'metrics.resolve'),
        ],
        m.byPlaybook.map((p) => [
          p.playbookId,
          String(p.incidents),
          h(p.acknowledgeHours),
          h(p.containHours),
          h(p.resolveHours),
        ]),
      ),
    );
    this.say('');
    this.say(
      t(l, 'metrics.compliance', {
        rate: m.deadlineCompliance === undefined ? '—' : `${Math.round(m.deadlineCompliance * 100)} %`,
        inTime: m.deadlines.inTime,
        late: m.deadlines.late,
        overdue: m.deadlines.overdue,
        pending: m.deadlines.pending,
      }),
    );
    return m;
  }
}
