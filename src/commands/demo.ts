import { BaseCommand, colourEnabled, progressBar, screenFlags } from '../cli/index.js';
import type { DemoResult } from '../app/demo/index.js';
import { t } from '../i18n/index.js';
import { renderScanText } from '../report/index.js';

export default class DemoCommand extends BaseCommand<typeof DemoCommand> {
  static override summary =
    'Démarre un parc de démonstration sur la boucle locale, l’analyse et écrit un rapport.';
  static override description = `Aucun accès réseau : une douzaine de serveurs TLS aux défauts connus (certificat expiré, autosigné,
mauvais nom, clé faible, SHA-1, TLS 1.0, CBC seul, SSLv3/RC4…) sont démarrés sur 127.0.0.x, analysés, puis arrêtés.
Les résultats vont dans <données>/demo (./.vigie/demo par défaut) : le rapport de posture (HTML autonome et Markdown),
le JSON de l’analyse et l’inventaire du parc (vigie.yml), pour essayer les autres commandes dessus.`;
  static override examples = [
    '<%= config.bin %> demo',
    '<%= config.bin %> demo --lang en',
    '<%= config.bin %> demo --verbose',
    '<%= config.bin %> demo --json',
  ];
  static override flags = { ...screenFlags() };

  async run(): Promise<DemoResult> {
    const { runDemo } = await import('../app/demo/index.js');
    const quiet = this.flags.quiet;
    const say = (text: string) => {
      if (!quiet) this.say(text);
    };
    say(t(this.lang, 'demo.starting'));
    const progress = progressBar(!this.jsonEnabled() && !quiet, t(this.lang, 'scan.progress'));
    let result: DemoResult;
    try {
      result = await runDemo(this.ctx, {
        onStarted: (count, domains) => say(t(this.lang, 'demo.estate', { count, domains })),
        onProgress: (done, total) => progress.update(done, total, ''),
      });
    } finally {
      progress.stop();
    }
    say('');
    say(
      renderScanText(result.scan, this.lang, {
        verbose: this.flags.verbose,
        colour: colourEnabled(process.stdout),
        whereabouts: [
          t(this.lang, 'demo.report', { path: result.reportFile }),
          t(this.lang, 'demo.markdown', { path: result.markdownFile }),
          t(this.lang, 'demo.json', { path: result.jsonFile }),
          t(this.lang, 'demo.inventory', { path: result.inventoryFile }),
        ],
        next: [t(this.lang, 'demo.next')],
      }),
    );
    return result;
  }
}
