import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/index.js';
import type { Waiver } from '../../domain/index.js';
import { t } from '../../i18n/index.js';

export default class FindingsUnwaiveCommand extends BaseCommand<typeof FindingsUnwaiveCommand> {
  static override summary = 'Retire la dérogation d’un constat : il compte de nouveau dans la posture.';
  static override examples = [
    '<%= config.bin %> findings unwaive 3f2a9c0d1e4b5a6c7d8e --by RSSI --reason "migration abandonnée"',
  ];
  static override args = {
    fingerprint: Args.string({ required: true, description: 'Empreinte du constat.' }),
  };
  static override flags = {
    by: Flags.string({ summary: 'Qui retire la dérogation (par défaut : l’utilisateur du système).' }),
    reason: Flags.string({ summary: 'Pourquoi (consigné dans la chronologie).' }),
  };

  async run(): Promise<Waiver> {
    const { unwaiveFinding } = await import('../../app/findings/index.js');
    const w = await unwaiveFinding(this.ctx, this.args.fingerprint, {
      ...(this.flags.by ? { by: this.flags.by } : {}),
      ...(this.flags.reason ? { reason: this.flags.reason } : {}),
    });
    this.say(t(this.lang, 'waiver.removed', { fingerprint: w.fingerprint }));
    return w;
  }
}
