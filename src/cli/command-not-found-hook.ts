import type { Hook } from '@oclif/core';
import { ExitCode } from '../domain/index.js';
import { t } from '../i18n/index.js';
import { earlyLanguage } from './early-language.js';
import { closest } from './suggest.js';

/** The command to suggest for what was typed (words separated by spaces), if one is likely meant. */
export function suggestCommand(typed: string, commands: readonly string[]): string | undefined {
  const near = closest(typed, commands);
  if (near) return near;
  // `vigie checks list extra`: a known command followed by words it does not take.
  return [...commands].sort((a, b) => b.length - a.length).find((c) => typed.startsWith(`${c} `));
}

/**
 * An unknown command: says so in the chosen language, with the closest command ("did you mean"),
 * and exits with the usage code; with --json, the same as the JSON error of every command.
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const argv = opts.argv ?? [];
  const lang = earlyLanguage(argv);
  const typed = opts.id.replaceAll(':', ' ');
  const commands = this.config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' '));
  const suggestion = suggestCommand(typed, commands);
  const message = t(lang, 'cli.suggest.unknown-command', { command: typed });
  const hint = suggestion
    ? t(lang, 'cli.suggest.command', { command: suggestion })
    : t(lang, 'cli.suggest.none');
  process.exitCode = ExitCode.Usage;
  if (argv.includes('--json')) {
    const error = { name: 'CommandNotFoundError', message, exitCode: ExitCode.Usage, hint };
    process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    return;
  }
  process.stderr.write(`${t(lang, 'error.prefix')} : ${message}\n${t(lang, 'error.hint')} : ${hint}\n`);
};

export default hook;
