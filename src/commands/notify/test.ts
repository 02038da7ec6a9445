import { Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class NotifyTestCommand extends BaseCommand<typeof NotifyTestCommand> {
  static override summary = 'Vérifie les réglages SMTP en envoyant un message de test.';
  static override description = `Se connecte au serveur SMTP de mail: dans vigie.yml (STARTTLS exigé, ou TLS implicite avec
secure: true), s’authentifie avec user et VIGIE_SMTP_PASSWORD, puis envoie un court message.
Le message n’est pas enregistré. Échec SMTP (dont un serveur sans STARTTLS) : code de sortie 4, sans
jamais afficher le mot de passe.`;
  static override examples = [
    '<%= config.bin %> notify test --to rssi@exemple.fr',
    'VIGIE_SMTP_PASSWORD=… <%= config.bin %> notify test --to rssi@exemple.fr -i /etc/vigie/vigie.yml',
  ];
  static override flags = {
    to: Flags.string({ summary: 'Adresse du destinataire (répétable).', multiple: true, required: true }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<{ messageId: string; to: string[] }> {
    const { sendTestMail } = await import('../../app/notify/index.js');
    const r = await sendTestMail(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      to: this.flags.to,
    });
    this.say(t(this.lang, 'notify.testSent', { messageId: r.messageId }));
    return { ...r, to: this.flags.to };
  }
}
