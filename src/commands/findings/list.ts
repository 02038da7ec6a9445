import { Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { endpointKey, FINDING_STATUSES, SEVERITIES, type ReportFinding } from '../../domain/index.js';
import { t, severityLabel } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class FindingsListCommand extends BaseCommand<typeof FindingsListCommand> {
  static override summary = 'Liste les constats et où ils en sont : nouveau, ouvert, résolu, revenu, dérogé.';
  static override description = `Par défaut, ceux qui sont encore ouverts (new, open, regressed, waived).
Un constat est résolu quand une analyse ultérieure a évalué son point d’accès sans le voir ; un point
d’accès non évalué (erreur, délai) ne résout rien. Il est « revenu » (regressed) s’il réapparaît après.`;
  static override examples = [
    '<%= config.bin %> findings list',
    '<%= config.bin %> findings list --status resolved --status regressed',
    '<%= config.bin %> findings list --owner "DSI - pôle web" --severity high --severity critical',
    '<%= config.bin %> findings list --host www.exemple.fr --json',
  ];
  static override flags = {
    status: Flags.string({
      options: [...FINDING_STATUSES],
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Ne garder que ces états (répétable).',
    }),
    severity: Flags.string({
      options: [...SEVERITIES],
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Ne garder que ces sévérités (répétable).',
    }),
    owner: Flags.string({ summary: 'Ne garder que les actifs de ce responsable (owner de vigie.yml).' }),
    host: Flags.string({ summary: 'Ne garder que cet hôte.' }),
    check: Flags.string({ summary: 'Ne garder que ce contrôle (ex. tls.cert.expired).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ findings: ReportFinding[] }> {
    const { listFindings } = await import('../../app/findings/index.js');
    const findings = await listFindings(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      ...(this.flags.status ? { status: this.flags.status as ReportFinding['status'][] } : {}),
      ...(this.flags.severity ? { severity: this.flags.severity as ReportFinding['severity'][] } : {}),
      ...(this.flags.owner ? { owner: this.flags.owner } : {}),
      ...(this.flags.host ? { host: this.flags.host } : {}),
      ...(this.flags.check ? { checkId: this.flags.check } : {}),
    });
    const l = this.lang;
    if (findings.length === 0) {
      this.say(t(l, 'findings.none'));
    } else {
      this.say(`${t(l, 'findings.header', { count: findings.length })}\n`);
      this.say(
        renderTable(
          [
            t(l, 'table.status'),
            t(l, 'table.severity'),
            t(l, 'table.endpoint'),
            t(l, 'table.check'),
            t(l, 'inventory.owner'),
            t(l, 'table.first-seen'),
            t(l, 'table.last-seen'),
            t(l, 'table.fingerprint'),
          ],
          findings.map((f) => [
            t(l, `finding-status.${f.status}`),
            severityLabel(l, f.severity),
            endpointKey(f),
            f.checkId,
            f.owner ?? '—',
            f.firstSeen.slice(0, 16),
            f.lastSeen.slice(0, 16),
            f.fingerprint,
          ]),
        ),
      );
    }
    return { findings };
  }
}
