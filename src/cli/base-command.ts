import { Command, Flags, type Interfaces } from '@oclif/core';
import path from 'node:path';
// Narrow imports: every command loads this file, so it must not pull a feature (or a probe) in.
import { configuredDefaults } from '../app/shared/configured-language.js';
import { resolveDataDir, type AppContext } from '../app/shared/context.js';
import { defaultPlaybooksDir } from '../app/shared/playbook-library.js';
import type { SelectedOrganisation } from '../app/organisations/select.js';
import { ExitCode, systemClock, VigieError } from '../domain/index.js';
import { isLang, t, type Lang } from '../i18n/index.js';
import { earlyLanguage } from './early-language.js';
import { translateParseError } from './parse-errors.js';
import { errorView, type ErrorView } from '../report/error-text.js';

export type FlagsOf<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;
export type ArgsOf<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** Shape of every error printed with --json (message, hint and issues in the chosen language). */
export interface JsonError {
  error: ErrorView;
}

/**
 * Owns what every command shares: --json, --lang, the application context, and the mapping from
 * errors to messages and exit codes (never `process.exit`: `process.exitCode` is set).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    lang: Flags.string({
      options: ['fr', 'en'],
      summary: 'Langue des messages et des rapports (fr par défaut ; ou VIGIE_LANG).',
      helpGroup: 'GLOBAL',
    }),
    org: Flags.string({
      summary: 'Organisation enregistrée (vigie org add) : son inventaire et ses données (ou VIGIE_ORG).',
      helpGroup: 'GLOBAL',
    }),
  };
  /** Whether `--org` (or VIGIE_ORG) narrows this command to one organisation (not `vigie org …`). */
  static selectsOrganisation = true;

  protected flags!: FlagsOf<T>;
  protected args!: ArgsOf<T>;
  protected ctx!: AppContext;
  /** Every positional argument, for commands that take a variable number (strict = false). */
  protected positionals: string[] = [];

  protected get lang(): Lang {
    return this.ctx?.lang ?? earlyLanguage(this.argv);
  }

  override async init(): Promise<void> {
    await super.init();
    const { args, argv, flags, metadata } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as FlagsOf<T>;
    this.args = args as ArgsOf<T>;
    this.positionals = argv as string[];
    const dataDir = resolveDataDir();
    // --org > VIGIE_ORG: that organisation's inventory (unless -i says) and data directory.
    const orgId = this.flags.org ?? (process.env['VIGIE_ORG'] || undefined);
    let selected: SelectedOrganisation | undefined;
    // A command with its own --org (vigie init: the organisation's name) is not narrowed.
    const selects =
      (this.ctor as typeof BaseCommand).selectsOrganisation && !('org' in (this.ctor.flags ?? {}));
    if (orgId !== undefined && selects) {
      const { selectOrganisation } = await import('../app/organisations/select.js');
      selected = selectOrganisation(dataDir.dir, orgId);
      if (metadata.flags['inventory']?.setFromDefault)
        (this.flags as { inventory?: string }).inventory = selected.organisation.inventory;
    }
    // --lang > VIGIE_LANG > organisation.language of vigie.yml > French.
    const envLang = process.env['VIGIE_LANG'];
    const inventory = (this.flags as { inventory?: unknown }).inventory;
    const configured = configuredDefaults(
      path.resolve(typeof inventory === 'string' ? inventory : 'vigie.yml'),
    );
    const lang: Lang = isLang(this.flags.lang)
      ? this.flags.lang
      : isLang(envLang)
        ? envLang
        : (configured.lang ?? 'fr');
    // The former default (./.vigie under the working directory) is still used when it exists.
    if (dataDir.source === 'legacy' && !this.jsonEnabled())
      process.stderr.write(`${t(lang, 'datadir.legacyNotice', { dir: dataDir.dir })}\n`);
    this.ctx = {
      clock: systemClock,
      lang,
      dataDir: selected?.dataDir ?? dataDir.dir,
      // VIGIE_PLAYBOOKS_DIR > playbooks.dir of vigie.yml > the package's playbooks/.
      playbooksDir: defaultPlaybooksDir(process.env, process.cwd(), configured.playbooksDir),
    };
    // VIGIE_DATABASE_URL > store.url of vigie.yml > the SQLite database of the data directory.
    const storeUrl = process.env['VIGIE_DATABASE_URL'] || configured.storeUrl;
    if (storeUrl) this.ctx.storeUrl = storeUrl;
    if (selected !== undefined) {
      const { organisationStoreUrl } = await import('../app/organisations/select.js');
      const id = selected.organisation.id;
      this.ctx.organisation = {
        id,
        baseDataDir: dataDir.dir,
        ...(storeUrl ? { baseStoreUrl: storeUrl } : {}),
      };
      if (storeUrl) this.ctx.storeUrl = organisationStoreUrl(storeUrl, id);
    }
  }

  /** Human output goes to stdout only when --json is off. */
  protected say(text: string): void {
    if (!this.jsonEnabled()) this.log(text);
  }

  override async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    const lang = this.lang;
    let payload: JsonError['error'];
    if (err instanceof VigieError) {
      payload = errorView(lang, err);
    } else if (err.oclif) {
      // oclif's own parse errors (unknown flag, bad option value …) are usage errors.
      payload = translateParseError(err, lang, this.ctor);
    } else {
      payload = {
        name: err.name,
        message: err.message,
        exitCode: ExitCode.Internal,
        hint: t(lang, 'error.internal'),
      };
      if (process.env['DEBUG']) this.logToStderr(err.stack ?? String(err));
    }
    process.exitCode = payload.exitCode;
    if (this.jsonEnabled()) {
      this.logJson({ error: payload } satisfies JsonError);
      return;
    }
    this.logToStderr(t(lang, 'errlang.error.shown', { message: payload.message }));
    if (payload.hint) this.logToStderr(t(lang, 'errlang.error.hint-shown', { hint: payload.hint }));
  }
}
