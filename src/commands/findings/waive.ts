import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/index.js';
import type { Waiver } from '../../domain/index.js';
import { t } from '../../i18n/index.js';

export default class FindingsWaiveCommand extends BaseCommand<typeof FindingsWaiveCommand> {
  static override summary =
    'Accepte un constat jusqu’à une date, pour une raison écrite (appliquer ou expliquer).';
  static override description = `Une dérogation exige une raison et une échéance (un an au plus). Elle apparaît barrée dans les
rapports avec sa raison, ne compte plus dans l’indice de posture, et tombe d’elle-même à l’échéance
ou si la preuve du constat change. Tout est consigné dans la chronologie du constat.`;
  static override examples = [
    '<%= config.bin %> findings waive 3f2a9c0d1e4b5a6c7d8e --reason "Serveur retiré en mars, migration en cours" --until 2027-03-31 --by "RSSI"',
  ];
  static override args = {
    fingerprint: Args.string({ required: true, description: 'Empreinte du constat.' }),
  };
  static override flags = {
    reason: Flags.string({ required: true, summary: 'Pourquoi le constat est accepté (obligatoire).' }),
    until: Flags.string({
      required: true,
      summary: 'Échéance : AAAA-MM-JJ (fin de journée UTC) ou date-heure ISO ; un an au plus.',
    }),
    by: Flags.string({ summary: 'Qui accepte (par défaut : l’utilisateur du système).' }),
  };

  async run(): Promise<Waiver> {
    const { waiveFinding } = await import('../../app/findings/index.js');
    const w = await waiveFinding(this.ctx, this.args.fingerprint, {
      reason: this.flags.reason,
      until: this.flags.until,
      ...(this.flags.by ? { by: this.flags.by } : {}),
    });
    this.say(
      t(this.lang, 'waiver.created', { fingerprint: w.fingerprint, until: w.until.slice(0, 10), by: w.by }),
    );
    return w;
  }
}
