import { ExitCode } from '../domain/index.js';
import { t, type Lang } from '../i18n/index.js';
import { closest } from './suggest.js';

/** What a command class tells about itself for the message: its id and the flags it knows. */
export interface ParsedCommand {
  id?: string | undefined;
  flags?: Record<string, unknown> | undefined;
  baseFlags?: Record<string, unknown> | undefined;
  enableJsonFlag?: boolean | undefined;
}

/** An oclif parse error, with the fields some of its classes carry. */
export type OclifParseError = Error & { flags?: unknown; args?: unknown };

const ANSI = new RegExp(`${String.fromCodePoint(27)}\\[[0-9;]*m`, 'g');
const SEE_MORE = /\n?See more help with --help\s*$/;

/** The flag names (without dashes) a command accepts. */
function knownFlags(command: ParsedCommand): string[] {
  return [
    ...Object.keys(command.flags ?? {}),
    ...Object.keys(command.baseFlags ?? {}),
    ...(command.enableJsonFlag ? ['json'] : []),
    'help',
  ];
}

function unknownFlag(lang: Lang, flag: string, command: ParsedCommand): string {
  const name = flag.replace(/^-+/, '').split('=')[0] ?? '';
  const suggestion = flag.startsWith('--') ? closest(name, knownFlags(command)) : undefined;
  return t(lang, 'cli.parse.nonexistent-flag', {
    flag,
    ...(suggestion ? { suggestion: `--${suggestion}` } : {}),
  });
}

/** One line of oclif's message in `lang` (`flag`: the flag named by a preceding "Parsing --x" line). */
function translateLine(lang: Lang, line: string, flag: string, command: ParsedCommand): string | undefined {
  let m: RegExpMatchArray | null;
  if ((m = /^Nonexistent flags?: (.+)$/.exec(line)))
    return (m[1] ?? '')
      .split(', ')
      .map((f) => unknownFlag(lang, f, command))
      .join('\n');
  if ((m = /^Unexpected flag (\S+)$/.exec(line))) return unknownFlag(lang, m[1] ?? '', command);
  if ((m = /^Missing required flag (\S+)$/.exec(line)))
    return t(lang, 'cli.parse.missing-flag', { flag: m[1] ?? '' });
  if ((m = /^Unexpected arguments?: (.+)$/.exec(line)))
    return t(lang, 'cli.parse.unexpected-arg', { args: m[1] ?? '' });
  if ((m = /^Expected --([^=\s]+)=(.*) to be one of: (.+)$/.exec(line)))
    return t(lang, 'cli.parse.invalid-option', { flag: m[1] ?? '', value: m[2] ?? '', options: m[3] ?? '' });
  if ((m = /^Expected (.*) to be one of: (.+)$/.exec(line)))
    return t(lang, 'cli.parse.invalid-arg-option', { value: m[1] ?? '', options: m[2] ?? '' });
  if ((m = /^Flag --(\S+) expects (a value|one of these values: .+)$/.exec(line)))
    return t(lang, 'cli.parse.expects-value', { flag: m[1] ?? '' });
  if ((m = /^Flag --(\S+) can only be specified once$/.exec(line)))
    return t(lang, 'cli.parse.only-once', { flag: m[1] ?? '' });
  if ((m = /^Expected an integer but received: (.*)$/.exec(line)))
    return t(lang, 'cli.parse.integer', { flag, value: m[1] ?? '' });
  if ((m = /^Expected an integer greater than or equal to (\S+) but received: (.*)$/.exec(line)))
    return t(lang, 'cli.parse.integer-min', { flag, min: m[1] ?? '', value: m[2] ?? '' });
  if ((m = /^Expected an integer less than or equal to (\S+) but received: (.*)$/.exec(line)))
    return t(lang, 'cli.parse.integer-max', { flag, max: m[1] ?? '', value: m[2] ?? '' });
  if (/^The following errors? occurred:$/.test(line) || /^Parsing --\S+$/.test(line)) return '';
  return undefined;
}

/**
 * oclif's parse errors (missing required flag or argument, unknown flag, unexpected argument,
 * invalid value) in `lang`, with a suggestion for a mistyped flag and the command's help as the
 * hint. A line oclif may add that is not known here is kept as it is.
 */
export function translateParseError(
  err: OclifParseError,
  lang: Lang,
  command: ParsedCommand,
): { name: string; message: string; exitCode: number; hint: string } {
  const raw = err.message.replace(ANSI, '').replace(SEE_MORE, '');
  const lines: string[] = [];
  if (/^Missing \d+ required args?/.test(raw) && Array.isArray(err.args)) {
    const names = (err.args as { name?: string }[]).map((a) => (a.name ?? '').toUpperCase());
    lines.push(t(lang, 'cli.parse.missing-arg', { arg: names.join(', ') }));
  } else {
    let flag = '';
    for (const original of raw.split('\n')) {
      const line = original.trim();
      if (!line) continue;
      const parsing = /^Parsing --(\S+)$/.exec(line);
      if (parsing) flag = parsing[1] ?? '';
      const translated = translateLine(lang, line, flag, command);
      if (translated !== '') lines.push(translated ?? line);
    }
  }
  const id = (command.id ?? '').replaceAll(':', ' ');
  return {
    name: err.name,
    message: lines.join('\n'),
    exitCode: ExitCode.Usage,
    hint: t(lang, 'cli.parse.hint', { command: id }).replace(/\s+/g, ' '),
  };
}
