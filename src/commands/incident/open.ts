import { Flags } from '@oclif/core';
import path from 'node:path';
import type { IncidentDetail } from '../../app/playbooks-incidents/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { renderClock } from '../../report/index.js';
import { INCIDENT_SEVERITIES, type IncidentSeverity } from '../../domain/index.js';
import { t } from '../../i18n/index.js';

export default class IncidentOpenCommand extends BaseCommand<typeof IncidentOpenCommand> {
  static override summary =
    'Ouvre un incident selon une fiche réflexe : ses étapes deviennent la liste des tâches.';
  static override description = `Les échéances réglementaires partent de la prise de connaissance (--aware-at, par défaut maintenant) :
notification à la CNIL sous 72 h si des données personnelles sont en jeu (--personal-data, RGPD art. 33) ;
alerte précoce sous 24 h, notification sous 72 h et rapport final sous un mois pour un incident important
(--nis2-significant, NIS2 art. 23). Avec --from-finding, la fiche est celle du contrôle du constat (champ
« playbook » du catalogue, ou la fiche dont les déclencheurs le nomment) et la sévérité celle du constat.`;
  static override examples = [
    '<%= config.bin %> incident open --playbook PB-001 --title "Rançongiciel sur le serveur de fichiers" --severity critical --personal-data --nis2-significant',
    '<%= config.bin %> incident open --playbook PB-006 --title "Fuite du fichier des inscriptions" --aware-at 2026-03-12T08:30:00+01:00 --personal-data',
    '<%= config.bin %> incident open --from-finding 3f2a9c0d1e4b5a6c7d8e',
  ];
  static override flags = {
    playbook: Flags.string({ summary: 'Fiche réflexe à suivre (ex. PB-001).' }),
    'from-finding': Flags.string({
      summary: 'Empreinte d’un constat : sa fiche et sa sévérité sont reprises.',
    }),
    title: Flags.string({ summary: 'Intitulé de l’incident (obligatoire sans --from-finding).' }),
    'aware-at': Flags.string({
      summary:
        'Prise de connaissance (date-heure ISO 8601 ; par défaut maintenant) : départ des délais légaux.',
    }),
    'personal-data': Flags.boolean({
      summary: 'Des données personnelles sont en jeu (RGPD art. 33 : CNIL sous 72 h).',
    }),
    'nis2-significant': Flags.boolean({
      summary: 'Incident important au sens de NIS2 (art. 23 : 24 h, 72 h, un mois).',
    }),
    severity: Flags.string({
      options: [...INCIDENT_SEVERITIES],
      summary: 'Sévérité (par défaut : celle du constat, sinon medium).',
    }),
    by: Flags.string({ summary: 'Qui ouvre l’incident (par défaut : l’utilisateur du système).' }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<IncidentDetail> {
    const { openIncident } = await import('../../app/playbooks-incidents/index.js');
    const f = this.flags;
    const detail = await openIncident(this.ctx, {
      ...(f.playbook ? { playbook: f.playbook } : {}),
      ...(f['from-finding'] ? { fromFinding: f['from-finding'] } : {}),
      ...(f.title ? { title: f.title } : {}),
      ...(f['aware-at'] ? { awareAt: f['aware-at'] } : {}),
      personalData: f['personal-data'],
      nis2Significant: f['nis2-significant'],
      ...(f.severity ? { severity: f.severity as IncidentSeverity } : {}),
      ...(f.by ? { by: f.by } : {}),
      inventoryFile: path.resolve(f.inventory),
    });
    const i = detail.incident;
    this.say(t(this.lang, 'incident.opened', { id: i.id, playbook: i.playbookId, steps: i.steps.length }));
    for (const clock of detail.clocks) this.say(`  ${renderClock(clock, detail.timeZone, this.lang)}`);
    return detail;
  }
}
