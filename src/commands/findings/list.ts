import { Flags } from '@oclif/core';
import { listOpenFindings } from '../../app/index.js';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { endpointKey, SEVERITIES, type Finding, type Severity } from '../../domain/index.js';
import { t } from '../../i18n/index.js';
import { renderTable } from '../../report/index.js';

export default class FindingsListCommand extends BaseCommand<typeof FindingsListCommand> {
  static override summary = 'Liste les constats ouverts, avec leur première et dernière observation.';
  static override description = `Un constat reste ouvert tant qu’une analyse ultérieure du même point d’accès ne l’a pas vu disparaître ;
un point d’accès non évalué (erreur, délai) ne ferme rien.`;
  static override examples = [
    '<%= config.bin %> findings list',
    '<%= config.bin %> findings list --severity high --severity critical',
    '<%= config.bin %> findings list --host www.exemple.fr --json',
  ];
  static override flags = {
    severity: Flags.string({
      options: [...SEVERITIES],
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Ne garder que ces sévérités (répétable).',
    }),
    host: Flags.string({ summary: 'Ne garder que cet hôte.' }),
    check: Flags.string({ summary: 'Ne garder que ce contrôle (ex. tls.cert.expired).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ findings: Finding[] }> {
    const findings = listOpenFindings(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      ...(this.flags.severity ? { severity: this.flags.severity as Severity[] } : {}),
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
            t(l, 'table.severity'),
            t(l, 'table.endpoint'),
            t(l, 'table.check'),
            t(l, 'table.first-seen'),
            t(l, 'table.last-seen'),
            t(l, 'table.fingerprint'),
          ],
          findings.map((f) => [
            t(l, `severity.${f.severity}`),
            endpointKey(f),
            f.checkId,
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
