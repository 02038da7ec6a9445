import { BaseCommand, progressBar } from '../cli/index.js';
import type { DemoResult } from '../app/demo/index.js';
import { t } from '../i18n/index.js';
import { renderDiscoverText, renderScanText } from '../report/index.js';

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
    '<%= config.bin %> demo --json',
  ];

  async run(): Promise<DemoResult> {
    const { runDemo } = await import('../app/demo/index.js');
    this.say(t(this.lang, 'demo.starting'));
    const progress = progressBar(!this.jsonEnabled(), t(this.lang, 'scan.progress'));
    let result: DemoResult;
    try {
      result = await runDemo(this.ctx, {
        onStarted: (count, domains) => this.say(t(this.lang, 'demo.estate', { count, domains })),
        onProgress: (done, total) => progress.update(done, total, ''),
      });
    } finally {
      progress.stop();
    }
    this.say('');
    this.say(renderScanText(result.scan, this.lang));
    this.say('');
    this.say(renderDiscoverText(result.discovery, this.lang));
    this.say('');
    this.say(t(this.lang, 'demo.report', { path: result.reportFile }));
    this.say(t(this.lang, 'demo.markdown', { path: result.markdownFile }));
    this.say(t(this.lang, 'demo.json', { path: result.jsonFile }));
    this.say(t(this.lang, 'demo.inventory', { path: result.inventoryFile }));
    this.say(t(this.lang, 'demo.next'));
    return result;
  }
}
