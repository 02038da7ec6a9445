import { Flags } from '@oclif/core';
import path from 'node:path';
import type { DigestOutcome } from '../../app/notify/index.js';
import { BaseCommand, inventoryFlag } from '../../cli/index.js';
import { t } from '../../i18n/index.js';

export default class NotifyDigestCommand extends BaseCommand<typeof NotifyDigestCommand> {
  static override summary = 'Envoie maintenant la synthèse hebdomadaire (ou l’affiche avec --dry-run).';
  static override description = `Synthèse de la semaine ISO en cours (fuseau de l’organisation) aux destinataires
mail.recipients.managers de vigie.yml : indice de posture et son évolution (graphique PNG intégré),
ce qui a changé, ce qui est en retard (constats, fiches réflexes à réviser, incidents et leurs échéances),
certificats expirant sous 30 jours, risques principaux ; rapport HTML complet, CSV et classeur xlsx des constats joints.
Envoyée une seule fois par semaine : un second appel ne renvoie rien. --to envoie une copie ponctuelle
sans toucher à l’envoi de la semaine. Mot de passe SMTP : variable VIGIE_SMTP_PASSWORD.
« Ce qui a changé » couvre la période depuis la synthèse précédente (sinon les 7 derniers jours) ;
les rapports produits entre-temps avec vigie report n’y changent rien.
--dry-run n’exige pas de section mail: ; --output écrit le HTML (graphique compris) dans un fichier
pour le regarder dans un navigateur, sans rien envoyer.`;
  static override examples = [
    '<%= config.bin %> notify digest --dry-run',
    '<%= config.bin %> notify digest --dry-run --output synthese.html',
    '<%= config.bin %> notify digest',
    '<%= config.bin %> notify digest --to dgs@exemple.fr --to dsi@exemple.fr',
  ];
  static override flags = {
    'dry-run': Flags.boolean({ summary: 'Affiche le texte de la synthèse sans l’envoyer ni l’enregistrer.' }),
    output: Flags.string({
      char: 'o',
      summary: 'Écrit le HTML de la synthèse dans ce fichier, sans l’envoyer (implique --dry-run).',
    }),
    to: Flags.string({ summary: 'Adresse d’une copie ponctuelle (répétable).', multiple: true }),
    inventory: inventoryFlag(),
  };

  async run(): Promise<DigestOutcome> {
    const { sendWeeklyDigest } = await import('../../app/notify/index.js');
    const outcome = await sendWeeklyDigest(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      ...(this.flags['dry-run'] ? { dryRun: true } : {}),
      ...(this.flags.to ? { to: this.flags.to } : {}),
      ...(this.flags.output ? { output: this.flags.output } : {}),
    });
    if (outcome.output !== undefined)
      this.say(t(this.lang, 'notify.digest.written', { path: outcome.output }));
    else if (outcome.text !== undefined) this.say(`${outcome.subject}\n\n${outcome.text}`);
    else if (outcome.alreadySent) this.say(t(this.lang, 'notify.alreadySent', { key: outcome.key }));
    else if (outcome.sent)
      this.say(
        t(this.lang, 'notify.sent', { subject: outcome.subject, recipients: outcome.recipients.join(', ') }),
      );
    return outcome;
  }
}
