import { Flags } from '@oclif/core';
import path from 'node:path';
import type { GithubSyncResult } from '../../app/github/index.js';
import { BaseCommand, inventoryFlag, severityFlag } from '../../cli/index.js';
import { OperationalError, type Severity } from '../../domain/index.js';
import { msg, t } from '../../i18n/index.js';

export default class GithubSyncCommand extends BaseCommand<typeof GithubSyncCommand> {
  static override summary =
    'Reflète les constats et les incidents dans les tickets GitHub (et relit les cases cochées).';
  static override description = `Un ticket par constat ouvert de gravité au moins github.minSeverity (titre et corps en
français, étiquettes <préfixe>:severity:…, :owner:…, :check:…, :category:…), mis à jour quand le constat change,
commenté puis fermé quand il est corrigé ou dérogé, rouvert quand il régresse ou que la dérogation expire.
Un ticket par incident ouvert : la liste des tâches de la fiche réflexe en cases à cocher, avec les échéances
réglementaires ; une case cochée dans GitHub marque l'étape faite dans vigie à la synchronisation suivante.
Un marqueur caché dans chaque ticket permet de retrouver le lien même si la base locale est perdue.
Refuse d'écrire dans un dépôt public sauf --allow-public. Jeton : variable VIGIE_GITHUB_TOKEN uniquement.`;
  static override examples = [
    '<%= config.bin %> github sync --dry-run',
    '<%= config.bin %> github sync',
    '<%= config.bin %> github sync --min-severity high --json',
  ];
  static override flags = {
    'dry-run': Flags.boolean({
      summary: 'Affiche le plan (création, mise à jour, fermeture …) sans rien changer.',
    }),
    'min-severity': severityFlag('Gravité minimale des constats reflétés (par défaut : github.minSeverity).'),
    'allow-public': Flags.boolean({
      summary: 'Accepte un dépôt public (le détail des vulnérabilités y serait publié).',
    }),
    inventory: inventoryFlag(),
    distributed: Flags.boolean({
      summary: t('fr', 'cli.github.sync.flag.distributed'),
      exclusive: ['dry-run'],
    }),
    wait: Flags.integer({ summary: t('fr', 'cli.github.sync.flag.wait'), min: 1, default: 600 }),
  };

  async run(): Promise<GithubSyncResult> {
    const result = this.flags.distributed ? await this.distributed() : await this.local();
    this.say(this.render(result));
    return result;
  }

  private async local(): Promise<GithubSyncResult> {
    const { syncGithub } = await import('../../app/github/index.js');
    return syncGithub(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      dryRun: this.flags['dry-run'],
      allowPublic: this.flags['allow-public'],
      ...(this.flags['min-severity'] ? { minSeverity: this.flags['min-severity'] as Severity } : {}),
      warn: (message) => this.logToStderr(message),
    });
  }

  /** `--distributed`: a worker synchronises (a single job on `notify`); this process waits, bounded. */
  private async distributed(): Promise<GithubSyncResult> {
    const { githubSyncDistributed } = await import('../../app/distributed/index.js');
    const r = await githubSyncDistributed(this.ctx, {
      inventoryFile: path.resolve(this.flags.inventory),
      allowPublic: this.flags['allow-public'],
      ...(this.flags['min-severity'] ? { minSeverity: this.flags['min-severity'] as Severity } : {}),
      waitMs: this.flags.wait * 1000,
    });
    if (r.outcome !== 'ok' || !r.github)
      throw new OperationalError(
        msg('github-job.distributed.not-done', { outcome: r.outcome, detail: r.detail }),
      );
    return r.github;
  }

  private render(r: GithubSyncResult): string {
    const lang = this.lang;
    const lines = [
      t(lang, r.dryRun ? 'github.planTitle' : 'github.doneTitle', {
        repository: r.repository,
        count: String(r.actions.length),
      }),
    ];
    if (r.recovered > 0) lines.push(t(lang, 'github.recovered', { count: String(r.recovered) }));
    for (const s of r.stepsFromGithub) {
      lines.push(
        t(lang, 'github.stepFromGithub', {
          incident: s.incidentId,
          step: s.stepId,
          issue: String(s.issueNumber),
        }),
      );
    }
    if (r.actions.length === 0) lines.push(t(lang, 'github.nothing'));
    for (const a of r.actions) {
      const issue = a.issueNumber === undefined ? '' : ` #${a.issueNumber}`;
      lines.push(`  ${t(lang, `github.action.${a.kind}`)}${issue}  ${a.title}  (${a.reason})`);
    }
    return lines.join('\n');
  }
}
