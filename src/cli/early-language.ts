import { isLang, type Lang } from '../i18n/index.js';

/**
 * The language of what vigie prints before a command runs (help, parse errors, unknown commands):
 * `--lang fr|en` (or `--lang=en`) anywhere before `--`, else VIGIE_LANG, else French. Read from the
 * raw command line, so that it is known before oclif renders anything; a command's own messages
 * also read `organisation.language` of vigie.yml (BaseCommand), which help does not, to stay light.
 */
export function earlyLanguage(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  const fromArgv = languageFlagValue(argv);
  if (fromArgv) return fromArgv;
  const fromEnv = env['VIGIE_LANG'];
  return isLang(fromEnv) ? fromEnv : 'fr';
}

/** The value of the last valid `--lang` before `--`, if any. */
export function languageFlagValue(argv: readonly string[]): Lang | undefined {
  let found: Lang | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[i + 1] : arg?.startsWith('--lang=') ? arg.slice(7) : undefined;
    if (isLang(value)) found = value;
  }
  return found;
}

/**
 * oclif reads the command id from the first arguments: `vigie --lang en scan` would look for a
 * command named `--lang`. Moves every `--lang X` / `--lang=X` found before the command id to the end
 * of the options (before `--`, if present), as `--lang=X`, so that it is parsed like any flag. oclif's
 * `help` command knows no `--lang`: `vigie help scan --lang en` becomes `vigie scan --lang en --help`.
 */
export function hoistLanguageFlag(argv: readonly string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--lang' && i + 1 < argv.length) {
      moved.push(`--lang=${argv[i + 1] ?? ''}`);
      i++;
    } else if (arg.startsWith('--lang=')) moved.push(arg);
    else break;
  }
  const rest = argv.slice(i);
  if (rest[0] === 'help' && (moved.length > 0 || languageFlagValue(rest))) {
    return [...rest.slice(1), ...moved, '--help'];
  }
  if (moved.length === 0) return [...argv];
  // `vigie --lang en` alone is `vigie` alone: the root help.
  if (rest.length === 0) return ['--help', ...moved];
  const end = rest.indexOf('--');
  return end === -1 ? [...rest, ...moved] : [...rest.slice(0, end), ...moved, ...rest.slice(end)];
}
