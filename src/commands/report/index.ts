import { Flags } from '@oclif/core';
import path from 'node:path';
import { BaseCommand, inventoryFlag, writeStdoutPieces } from '../../cli/index.js';
import { UsageError, type PostureReport } from '../../domain/index.js';
import { t, type Lang } from '../../i18n/index.js';
import type { GroupReport, LargeReport } from '../../app/report/index.js';
import {
  isLargeEstate,
  renderGroupReportHtml,
  gatherPieces,
  renderGroupReportJson,
  renderGroupReportMarkdown,
  renderGroupReportText,
  renderReportCsv,
  type ReportDetail,
  renderReportHtml,
  renderReportJson,
  renderReportJunit,
  renderReportMarkdown,
  renderReportSarif,
  renderReportText,
  reportCsvWriter,
  writeReportCsv,
  writeReportHtml,
} from '../../report/index.js';

const FORMATS = ['text', 'md', 'html', 'json', 'csv', 'xlsx', 'sarif', 'junit'] as const;
type Format = (typeof FORMATS)[number];

export default class ReportCommand extends BaseCommand<typeof ReportCommand> {
  static override summary = 'Rapport de posture à partir des analyses enregistrées.';
  static override description = `Indice de posture et tendance (12 dernières analyses), écart depuis le rapport précédent,
constats par sévérité, risques principaux avec responsable et correction, nouveaux / résolus / revenus
depuis --since (par défaut : le rapport précédent, sinon 7 jours), certificats expirant sous 30 jours,
tableau par responsable, dérogations. Formats : text, md, html (un seul fichier autonome), json,
csv (une ligne par constat ; en français : « ; », BOM UTF-8, en-têtes et valeurs en français, ce
qu’ouvre Excel ; en anglais : « , » et identifiants), xlsx (classeur : constats, points d’accès et
notes, responsables, dérogations ; filtres et en-têtes figés ; exige --output), sarif (2.1.0),
junit (un cas par point d’accès × contrôle).
Le rapport est mémorisé (date et indice) pour calculer l’écart du suivant.`;
  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report --format html --output rapport.html',
    '<%= config.bin %> report --format xlsx --output constats.xlsx',
    '<%= config.bin %> report --format sarif --output vigie.sarif',
    '<%= config.bin %> report --format junit --output junit.xml --lang en',
    '<%= config.bin %> report --since 2026-11-01 --format md',
  ];
  static override flags = {
    format: Flags.string({
      char: 'f',
      options: [...FORMATS],
      default: 'text',
      summary: 'Format du rapport.',
    }),
    output: Flags.string({ char: 'o', summary: 'Fichier à écrire (sinon la sortie standard).' }),
    since: Flags.string({ summary: 'Début de la période « ce qui a changé » (AAAA-MM-JJ).' }),
    inventory: inventoryFlag(),
    group: Flags.string({
      summary: 'Vue consolidée d’un groupe d’organisations (vigie org add --group), côte à côte.',
    }),
  };

  async run(): Promise<PostureReport | GroupReport> {
    const { buildLargeReport, buildReport, recordReport, writeOutput } =
      await import('../../app/report/index.js');
    const format = this.flags.format as Format;
    if (this.flags.group !== undefined) return this.groupView(this.flags.group, format);
    if (format === 'xlsx' && !this.flags.output)
      throw new UsageError(t(this.lang, 'report.xlsxNeedsOutput'), {
        hint: 'vigie report --format xlsx --output constats.xlsx',
      });
    const request = {
      inventoryFile: path.resolve(this.flags.inventory),
      ...(this.flags.since ? { since: parseSince(this.flags.since) } : {}),
    };
    // A large estate, read by pages: no format, nor --json, holds every finding.
    const large = await buildLargeReport(this.ctx, request);
    if (large) return this.largeEstate(large, format, request);
    const report = await buildReport(this.ctx, request);
    // A large estate: the document summarises and a CSV beside it has every finding.
    let detail: ReportDetail | undefined;
    if ((format === 'text' || format === 'md' || format === 'html') && isLargeEstate(report)) {
      const csvFile = detailFile(this.flags.output, this.ctx.dataDir, report.generatedAt);
      const written = writeOutput(csvFile, (write) => writeReportCsv(report, this.lang, write));
      detail = { file: this.flags.output ? path.basename(written) : written };
      if (!this.jsonEnabled()) this.logToStderr(t(this.lang, 'memory.detail-written', { path: written }));
    }
    if (format === 'html') {
      // In pieces: a large estate's TLS detail has a block per endpoint.
      const pieces = (write: (piece: string) => void) => writeReportHtml(report, this.lang, detail, write);
      if (this.flags.output) {
        const file = writeOutput(this.flags.output, pieces);
        this.say(t(this.lang, 'report.written', { path: file }));
      } else if (!this.jsonEnabled()) pieces((piece) => process.stdout.write(piece));
      await recordReport(this.ctx, report, format);
      return report;
    }
    const content =
      format === 'xlsx'
        ? await (await import('../../report/xlsx/index.js')).renderReportXlsx(report, this.lang)
        : render(report, format, this.lang, this.config.version, detail);
    if (this.flags.output) {
      const file = writeOutput(this.flags.output, content);
      this.say(t(this.lang, 'report.written', { path: file }));
    } else if (!this.jsonEnabled()) {
      const text = String(content);
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
    await recordReport(this.ctx, report, format);
    return report;
  }

  /**
   * A large estate's report, built by pages: `csv`, `json`, `sarif`, `junit` and `xlsx` go through
   * every finding as the store's cursors read them; `text`, `md` and `html` summarise, with every finding
   * in a CSV beside them.
   */
  private async largeEstate(
    large: LargeReport,
    format: Format,
    request: { inventoryFile: string },
  ): Promise<PostureReport> {
    await this.largeDocument(large, format, request);
    if (this.jsonEnabled()) {
      // --json: the whole report as data, as the store's cursors read it (--format json's bytes:
      // the same members and values as the whole report oclif would print, keys in a stable order).
      // Set aside on disk, then copied out at the pace of standard output's reader.
      const { spooledOutput, writeLargeReportJson } = await import('../../app/report/index.js');
      await spooledOutput(async (write) => {
        const gathered = gatherPieces(write);
        await writeLargeReportJson(this.ctx, request, large, gathered.write);
        gathered.end();
      }, writeStdoutPieces);
      this.jsonWritten = true;
    }
    return large.report;
  }

  /** The JSON of the result was written as it was read: oclif has nothing left to print. */
  private jsonWritten = false;

  override logJson(json: unknown): void {
    if (!this.jsonWritten) super.logJson(json);
  }

  /** The document of a large estate, in `format`, to --output or standard output (not with --json). */
  private async largeDocument(
    large: LargeReport,
    format: Format,
    request: { inventoryFile: string },
  ): Promise<void> {
    const {
      eachReportFinding,
      recordReport,
      spooledOutput,
      writeLargeReportJson,
      writeLargeReportJunit,
      writeLargeReportSarif,
      writeLargeReportXlsx,
      writeOutput,
      writeOutputAsync,
    } = await import('../../app/report/index.js');
    const { report, totals } = large;
    const csv = async (write: (piece: string) => void) => {
      const writer = reportCsvWriter(this.lang, write);
      await eachReportFinding(this.ctx, request, report.generatedAt, (page) => writer.rows(page));
      writer.end();
    };
    // The whole JSON, SARIF or JUnit, as the store's cursors read it, in pieces of about 64 KiB.
    const whole = async (write: (piece: string) => void) => {
      const { write: gather, end } = gatherPieces(write);
      if (format === 'sarif')
        await writeLargeReportSarif(
          this.ctx,
          request,
          large,
          this.lang,
          { toolVersion: this.config.version },
          gather,
        );
      else if (format === 'junit') await writeLargeReportJunit(this.ctx, request, large, this.lang, gather);
      else await writeLargeReportJson(this.ctx, request, large, gather);
      end();
    };
    if (format === 'xlsx') {
      // The workbook, as exceljs's streaming writer zips its rows (--output is required).
      const file = await writeOutputAsync(this.flags.output ?? 'constats.xlsx', (write) =>
        writeLargeReportXlsx(this.ctx, request, large, this.lang, write),
      );
      this.say(t(this.lang, 'report.written', { path: file }));
      await recordReport(this.ctx, report, format);
      return;
    }
    if (format === 'csv' || format === 'json' || format === 'sarif' || format === 'junit') {
      const pieces = format === 'csv' ? csv : whole;
      if (this.flags.output) {
        const file = await writeOutputAsync(this.flags.output, pieces);
        this.say(t(this.lang, 'report.written', { path: file }));
      } else if (!this.jsonEnabled()) await spooledOutput(pieces, writeStdoutPieces);
      await recordReport(this.ctx, report, format);
      return;
    }
    const csvFile = detailFile(this.flags.output, this.ctx.dataDir, report.generatedAt);
    const written = await writeOutputAsync(csvFile, csv);
    const detail: ReportDetail = { file: this.flags.output ? path.basename(written) : written, totals };
    this.logToStderr(t(this.lang, 'memory.detail-written', { path: written }));
    const pieces = (write: (piece: string) => void) =>
      format === 'html'
        ? writeReportHtml(report, this.lang, detail, write)
        : write(render(report, format, this.lang, this.config.version, detail));
    if (this.flags.output) {
      const file = writeOutput(this.flags.output, pieces);
      this.say(t(this.lang, 'report.written', { path: file }));
    } else if (!this.jsonEnabled()) {
      let last = '';
      pieces((piece) => {
        if (piece.length > 0) last = piece;
        process.stdout.write(piece);
      });
      if (format !== 'html' && !last.endsWith('\n')) process.stdout.write('\n');
    }
    await recordReport(this.ctx, report, format);
  }

  /** `--group`: each member's posture side by side and the group's total (nothing recorded). */
  private async groupView(group: string, format: Format): Promise<GroupReport> {
    const { buildGroupReport, writeOutput } = await import('../../app/report/index.js');
    if (format !== 'text' && format !== 'md' && format !== 'html' && format !== 'json')
      throw new UsageError(t(this.lang, 'group-report.format', { format }), {
        hint: t(this.lang, 'group-report.format.hint'),
      });
    const report = await buildGroupReport(this.ctx, { group });
    const content =
      format === 'text'
        ? renderGroupReportText(report, this.lang)
        : format === 'md'
          ? renderGroupReportMarkdown(report, this.lang)
          : format === 'html'
            ? renderGroupReportHtml(report, this.lang)
            : renderGroupReportJson(report);
    if (this.flags.output) {
      const file = writeOutput(this.flags.output, content);
      this.say(t(this.lang, 'report.written', { path: file }));
    } else if (!this.jsonEnabled()) process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
    return report;
  }
}

function parseSince(text: string): Date {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(d.getTime()))
    throw new UsageError(`--since : date invalide « ${text} »`, { hint: 'écrivez AAAA-MM-JJ' });
  return d;
}

/** The CSV beside `--output` (same name, `.csv`), or in the data directory's reports/ for stdout. */
function detailFile(output: string | undefined, dataDir: string, generatedAt: string): string {
  if (output) {
    const parsed = path.parse(path.resolve(output));
    const beside = path.join(parsed.dir, `${parsed.name}.csv`);
    return beside === path.resolve(output) ? path.join(parsed.dir, `${parsed.name}.detail.csv`) : beside;
  }
  return path.join(dataDir, 'reports', `rapport-${generatedAt.replace(/[:.]/g, '-')}.csv`);
}

function render(
  report: PostureReport,
  format: Exclude<Format, 'xlsx'>,
  lang: Lang,
  version: string,
  detail?: ReportDetail,
): string {
  switch (format) {
    case 'text':
      return renderReportText(report, lang, detail);
    case 'md':
      return renderReportMarkdown(report, lang, detail);
    case 'html':
      return renderReportHtml(report, lang, detail);
    case 'json':
      return renderReportJson(report, lang);
    case 'csv':
      return renderReportCsv(report, lang);
    case 'sarif':
      return renderReportSarif(report, lang, { toolVersion: version });
    case 'junit':
      return renderReportJunit(report, lang);
  }
}
