import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import {
  BaseCommand,
  colourEnabled,
  inventoryFlag,
  progressBar,
  screenFlags,
  severityFlag,
  writeStdoutPieces,
} from '../cli/index.js';
import { endpointKey, ExitCode, UsageError, type ScanResultView, type Severity } from '../domain/index.js';
import { SCAN_CATEGORIES, type ScanCategory } from '../engine/plan.js';
import { msg, t } from '../i18n/index.js';
import type { SpooledScan } from '../app/scan/index.js';
import {
  prettyJsonPieces,
  renderScanText,
  scanMarkdownPieces,
  writePrettyJson,
  writeScanMarkdown,
  writeScanText,
} from '../report/index.js';

export default class ScanCommand extends BaseCommand<typeof ScanCommand> {
  static override summary = 'Analyse les points d’accès de l’inventaire ou les cibles données.';
  static override description = `Sans cible, analyse tous les points d’accès de l’inventaire (--inventory, vigie.yml par défaut).
Une cible s’écrit HÔTE (ports web et ports du catalogue des services), HÔTE:PORT, [IPv6]:PORT ou https://HÔTE[:PORT]/.
Les domaines de l’inventaire (domains:) reçoivent les contrôles DNS et messagerie (SPF, DMARC, DKIM, MTA-STS, TLS-RPT, CAA, DNSSEC, STARTTLS des MX) ; en ligne de commande, un HÔTE nu est traité comme un domaine avec --only dns.
Chaque point d’accès finit évalué, en erreur ou en délai dépassé : ce qui n’a pas pu être évalué n’est jamais compté comme conforme.
L’analyse est enregistrée dans le répertoire de données (VIGIE_DATA_DIR, sinon ~/.local/state/vigie ; voir vigie --help) sauf avec --no-save.`;
  static override examples = [
    '<%= config.bin %> scan',
    '<%= config.bin %> scan www.exemple.fr api.exemple.fr:8443',
    '<%= config.bin %> scan https://intranet.exemple.fr/ --ca pki/racine.pem --fail-on high',
    '<%= config.bin %> scan --json > analyse.json',
    '<%= config.bin %> scan exemple.fr --only dns',
    '<%= config.bin %> scan --format md --output analyse.md',
    '<%= config.bin %> scan --verbose',
    '<%= config.bin %> scan --quiet --fail-on high',
    '<%= config.bin %> scan www.exemple.fr --profile anssi --profile mozilla-intermediate@5.7',
  ];
  static override strict = false;
  static override args = {
    targets: Args.string({ description: 'HÔTE, HÔTE:PORT ou https://HÔTE[:PORT]/ (plusieurs possibles)' }),
  };
  static override flags = {
    inventory: inventoryFlag(),
    ca: Flags.string({
      summary: 'Fichier PEM d’autorité de confiance ajoutée aux racines par défaut (répétable).',
      multiple: true,
      multipleNonGreedy: true,
      default: [],
    }),
    only: Flags.string({
      summary: `Catégories à analyser, séparées par des virgules (${SCAN_CATEGORIES.join(', ')}).`,
      default: SCAN_CATEGORIES.join(','),
    }),
    timeout: Flags.integer({ summary: 'Délai par connexion, en millisecondes.', min: 100, max: 120_000 }),
    concurrency: Flags.integer({ summary: 'Points d’accès analysés en parallèle.', min: 1, max: 1024 }),
    'fail-on': severityFlag('Code de sortie 1 si un constat atteint cette sévérité (pour la CI).'),
    format: Flags.string({
      char: 'f',
      options: ['text', 'md', 'json'],
      default: 'text',
      summary: 'Format de la sortie (md : rapport Markdown de l’analyse).',
    }),
    output: Flags.string({ char: 'o', summary: 'Écrire la sortie dans ce fichier plutôt qu’à l’écran.' }),
    profile: Flags.string({
      summary:
        'Profil TLS à vérifier sur chaque point d’accès, NOM[@VERSION] (répétable ; `vigie checks profiles` les liste). Remplace les profile: de vigie.yml.',
      multiple: true,
      multipleNonGreedy: true,
      default: [],
    }),
    save: Flags.boolean({
      summary: 'Enregistrer l’analyse (--no-save pour ne rien écrire).',
      default: true,
      allowNo: true,
    }),
    distributed: Flags.boolean({ summary: t('fr', 'cli.scan.flag.distributed') }),
    wait: Flags.integer({ summary: t('fr', 'cli.scan.flag.wait'), min: 1, default: 3600 }),
    ...screenFlags(),
  };

  /** Removes the scan's spool file: once the output is written (after `--json`'s, in logJson). */
  private closeSpool: () => void = () => undefined;
  /** `--json`'s result already written by run() (oclif's logJson then writes nothing more). */
  private jsonWritten = false;

  async run(): Promise<ScanResultView> {
    const { failOnCount, scanSpooled, writeOutput } = await import('../app/scan/index.js');
    const categories = this.categories();
    const progress = progressBar(!this.jsonEnabled() && !this.flags.quiet, t(this.lang, 'scan.progress'));
    const inventoryExplicit = this.argv.some(
      (a) => a === '--inventory' || a === '-i' || a.startsWith('--inventory='),
    );
    // A bare host on the command line is a domain for the DNS checks only when asked (--only dns).
    const onlyGiven = this.argv.some((a) => a === '--only' || a.startsWith('--only='));
    const adHocDomains = onlyGiven && categories.includes('dns');
    let result: ScanResultView;
    try {
      const spooled = this.flags.distributed
        ? await this.distributed(categories, adHocDomains, progress)
        : await scanSpooled(this.ctx, {
            targets: this.positionals,
            inventoryFile: path.resolve(this.flags.inventory),
            inventoryExplicit,
            caFiles: this.flags.ca.map((f) => path.resolve(f)),
            categories,
            adHocDomains,
            save: this.flags.save,
            profiles: this.flags.profile,
            ...(this.flags.timeout === undefined ? {} : { timeoutMs: this.flags.timeout }),
            ...(this.flags.concurrency === undefined ? {} : { concurrency: this.flags.concurrency }),
            onProgress: (done, total, e) => progress.update(done, total, endpointKey(e)),
          });
      result = spooled.result;
      this.closeSpool = () => spooled.close();
    } finally {
      progress.stop();
    }
    // With --json and a JSON theme, oclif writes the result after run(): logJson closes the spool then.
    let keep = false;
    try {
      const out = await this.output(result, failOnCount, writeOutput);
      if (this.jsonEnabled() && !this.config.theme?.json) {
        // Written here, waiting for stdout: oclif's logJson would write it at once, whatever the reader takes.
        await writeStdoutPieces(prettyJsonPieces(out));
        this.jsonWritten = true;
      } else {
        keep = this.jsonEnabled();
      }
      return out;
    } finally {
      if (!keep) this.closeSpool();
    }
  }

  /** Writes the scan's output (screen or --output) from its result, read once or a few times over. */
  private async output(
    result: ScanResultView,
    failOnCount: (result: ScanResultView, threshold: Severity) => number,
    writeOutput: (
      file: string,
      content: string | Uint8Array | ((write: (piece: string) => void) => void),
    ) => string,
  ): Promise<ScanResultView> {
    const quiet = this.flags.quiet;
    const saved = result.run.saved
      ? t(this.lang, 'scan.saved', { path: this.ctx.dataDir })
      : t(this.lang, 'scan.not-saved');
    if (this.flags.format === 'json') {
      // Streamed: the same bytes as JSON.stringify(result, null, 2), never one string of the whole.
      if (this.flags.output) {
        const written = writeOutput(this.flags.output, (write) => writePrettyJson(result, write));
        if (!quiet) this.say(`${t(this.lang, 'report.written', { path: written })}\n${saved}`);
      } else if (!this.jsonEnabled() && !quiet) {
        await writeStdoutPieces(prettyJsonPieces(result));
        this.say(saved);
      }
    } else {
      const textOptions = {
        // A file written with --output is the detailed record: every finding is in it.
        verbose: this.flags.verbose || Boolean(this.flags.output),
        // Colour on the screen only: never in a file written with --output.
        colour: !this.flags.output && colourEnabled(process.stdout),
        whereabouts: [saved],
        ...(result.run.saved
          ? { next: [t(this.lang, 'firstrun.next.findings'), t(this.lang, 'firstrun.next.report')] }
          : {}),
      };
      if (this.flags.format === 'text' && this.flags.output) {
        // In pieces: the detailed record of a large estate has a few lines per finding.
        const written = writeOutput(this.flags.output, (write) =>
          writeScanText(result, this.lang, textOptions, write),
        );
        if (!quiet) this.say(`${t(this.lang, 'report.written', { path: written })}\n${saved}`);
        return this.afterOutput(result, failOnCount);
      }
      if (this.flags.format === 'md') {
        // In pieces, from the spool: its endpoints and findings are read again for each part.
        if (this.flags.output) {
          const written = writeOutput(this.flags.output, (write) =>
            writeScanMarkdown(result, this.lang, write),
          );
          if (!quiet) this.say(`${t(this.lang, 'report.written', { path: written })}\n${saved}`);
        } else if (!quiet && !this.jsonEnabled()) {
          await writeStdoutPieces(scanMarkdownPieces(result, this.lang));
          this.say(saved);
        }
        return this.afterOutput(result, failOnCount);
      }
      const rendered = renderScanText(result, this.lang, textOptions);
      if (this.flags.output) {
        const written = writeOutput(this.flags.output, rendered);
        if (!quiet) this.say(`${t(this.lang, 'report.written', { path: written })}\n${saved}`);
      } else if (!quiet) {
        this.say(rendered.trimEnd());
        if (this.flags.format !== 'text') this.say(saved);
      }
    }
    return this.afterOutput(result, failOnCount);
  }

  /** `--fail-on`: the exit code when a finding reaches the threshold. */
  private afterOutput(
    result: ScanResultView,
    failOnCount: (result: ScanResultView, threshold: Severity) => number,
  ): ScanResultView {
    const threshold = this.flags['fail-on'] as Severity | undefined;
    if (threshold) {
      const count = failOnCount(result, threshold);
      if (count > 0) {
        process.exitCode = ExitCode.FindingsAtThreshold;
        if (!this.jsonEnabled())
          this.logToStderr(t(this.lang, 'scan.fail-on', { count, severity: threshold }));
      }
    }
    return result;
  }

  /** `--distributed`: the workers scan, this process enqueues and waits (bounded by --wait). */
  private async distributed(
    categories: ScanCategory[],
    adHocDomains: boolean,
    progress: ReturnType<typeof progressBar>,
  ): Promise<SpooledScan> {
    if (!this.flags.save) throw new UsageError(msg('cli.scan.distributed.no-save'));
    const { scanDistributedSpooled } = await import('../app/distributed/index.js');
    const hosts = t(this.lang, 'cli.scan.distributed.progress');
    // The run's results are read back from the store into a spool, as `vigie scan` keeps its own.
    return scanDistributedSpooled(this.ctx, {
      targets: this.positionals,
      inventoryFile: path.resolve(this.flags.inventory),
      categories,
      adHocDomains,
      caFiles: this.flags.ca.map((f) => path.resolve(f)),
      profiles: this.flags.profile,
      waitMs: this.flags.wait * 1000,
      ...(this.flags.timeout === undefined ? {} : { timeoutMs: this.flags.timeout }),
      ...(this.flags.concurrency === undefined ? {} : { concurrency: this.flags.concurrency }),
      onProgress: (done, total) => progress.update(done, total, hosts),
    });
  }

  /** `--json`: the scan result streamed, byte for byte what oclif would print (when no JSON theme is set). */
  protected override logJson(json: unknown): void {
    try {
      if (this.config.theme?.json) super.logJson(json);
      else if (!this.jsonWritten) writePrettyJson(json, (piece) => process.stdout.write(piece));
    } finally {
      this.closeSpool();
    }
  }

  private categories(): ScanCategory[] {
    const wanted = this.flags.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = wanted.filter((c) => !(SCAN_CATEGORIES as readonly string[]).includes(c));
    if (unknown.length || wanted.length === 0) {
      throw new UsageError(`--only : catégorie inconnue « ${unknown.join(', ')} »`, {
        hint: `catégories disponibles : ${SCAN_CATEGORIES.join(', ')}`,
      });
    }
    return wanted as ScanCategory[];
  }
}
