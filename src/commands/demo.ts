import { Flags } from '@oclif/core';
import { BaseCommand, colourEnabled, progressBar, screenFlags } from '../cli/index.js';
import type { DemoResult } from '../app/demo/index.js';
import { UsageError } from '../domain/index.js';
import { t } from '../i18n/index.js';
import { renderDiscoverText, renderScanText } from '../report/index.js';

/** A path as a POSIX shell reads it, quoted only when it needs to be. */
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export default class DemoCommand extends BaseCommand<typeof DemoCommand> {
  static override summary =
    'Démarre un parc de démonstration sur la boucle locale, l’analyse et écrit un rapport.';
  static override description = `Aucun accès réseau : une douzaine de serveurs TLS aux défauts connus (certificat expiré, autosigné,
mauvais nom, clé faible, SHA-1, TLS 1.0, CBC seul, SSLv3/RC4…), un site web négligent, Redis et MySQL, un serveur DNS,
des MX, une politique MTA-STS et une recherche Certificate Transparency sont démarrés sur 127.0.0.11 à 127.0.0.44 (ports fixes : 8443, 8080, 6379, 3306, 2525,
5353), analysés, puis arrêtés — ou laissés démarrés avec --keep, jusqu’à Ctrl-C, pour essayer les autres commandes.
Quand une adresse ou un port du parc est pris, la démonstration s’arrête et le dit (code de sortie 4).
Les résultats vont dans le sous-répertoire demo du répertoire de données : le rapport de posture (HTML autonome et
Markdown), le JSON de l’analyse et l’inventaire du parc (vigie.yml) ; les chemins sont affichés.`;
  static override examples = [
    '<%= config.bin %> demo',
    '<%= config.bin %> demo --keep',
    '<%= config.bin %> demo --lang en --verbose',
    '<%= config.bin %> demo --network 127.42.0',
    '<%= config.bin %> demo --json',
  ];
  static override flags = {
    keep: Flags.boolean({
      summary:
        'Laisser le parc démarré après l’analyse, jusqu’à Ctrl-C, pour y essayer les autres commandes.',
    }),
    network: Flags.string({
      summary: 'Réseau de boucle locale du parc, sous la forme 127.X.Y (127.0.0 par défaut).',
    }),
    ...screenFlags(),
  };

  async run(): Promise<DemoResult> {
    const { runDemo } = await import('../app/demo/index.js');
    const network = this.network();
    const quiet = this.flags.quiet;
    const say = (text: string) => {
      if (!quiet) this.say(text);
    };
    say(t(this.lang, 'demo.starting'));
    const progress = progressBar(!this.jsonEnabled() && !quiet, t(this.lang, 'scan.progress'));
    let demo: Awaited<ReturnType<typeof runDemo>>;
    try {
      demo = await runDemo(this.ctx, {
        keep: this.flags.keep,
        ...(network === undefined ? {} : { network }),
        onStarted: (count, domains) => say(t(this.lang, 'demo.estate', { count, domains })),
        onProgress: (done, total) => progress.update(done, total, ''),
      });
    } finally {
      progress.stop();
    }
    const { result } = demo;
    // Hints that work from an installed vigie, wherever it was started: absolute paths, the demo's data dir.
    const env = `VIGIE_DATA_DIR=${shellWord(result.dataDir)}`;
    const inventory = shellWord(result.inventoryFile);
    say('');
    // What discovery found in the demo's zones, then the scan's summary screen, last as on every run.
    say(renderDiscoverText(result.discovery, this.lang));
    say('');
    say(
      renderScanText(result.scan, this.lang, {
        verbose: this.flags.verbose,
        colour: colourEnabled(process.stdout),
        whereabouts: [
          t(this.lang, 'demo.report', { path: result.reportFile }),
          t(this.lang, 'demo.markdown', { path: result.markdownFile }),
          t(this.lang, 'demo.json', { path: result.jsonFile }),
          t(this.lang, 'firstrun.demo.inventory', { path: result.inventoryFile }),
        ],
        next: [
          t(this.lang, 'firstrun.demo.next.findings', { env }),
          t(this.lang, 'firstrun.demo.next.report', { env, inventory }),
          this.flags.keep
            ? t(this.lang, 'firstrun.demo.next.scan', { env, inventory })
            : t(this.lang, 'firstrun.demo.next.keep'),
        ],
      }),
    );
    if (this.flags.keep) {
      if (this.jsonEnabled()) this.logJson(result);
      else this.logToStderr(t(this.lang, 'firstrun.demo.kept', { network: network ?? '127.0.0' }));
      await untilInterrupted();
      await demo.stop();
      if (!this.jsonEnabled()) this.logToStderr(t(this.lang, 'firstrun.demo.stopped'));
      // The JSON was printed when the estate was ready: oclif must not print it a second time.
      if (this.jsonEnabled()) return undefined as unknown as DemoResult;
    }
    return result;
  }

  private network(): string | undefined {
    const network = this.flags.network;
    if (network === undefined) return undefined;
    const octets = network.split('.');
    if (
      octets[0] !== '127' ||
      octets.length !== 3 ||
      !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) < 256)
    )
      throw new UsageError(`--network : « ${network} » n’est pas un réseau de boucle locale 127.X.Y`, {
        hint: 'exemple : vigie demo --network 127.42.0',
      });
    return network;
  }
}

/** Resolves at the first SIGINT or SIGTERM (Ctrl-C, systemctl stop), and leaves no listener behind. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
