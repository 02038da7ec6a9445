import { CommandHelp, Help, type Command, type Interfaces } from '@oclif/core';
import { isMessageKey, t, type Lang, type MessageKey } from '../i18n/index.js';
import { earlyLanguage, languageFlagValue } from './early-language.js';

/** oclif's section headers and the catalogue entries that replace them. */
const HEADERS: Record<string, MessageKey> = {
  USAGE: 'cli.oclif.usage',
  ARGUMENTS: 'cli.oclif.arguments',
  FLAGS: 'cli.oclif.flags',
  'GLOBAL FLAGS': 'cli.oclif.global-flags',
  DESCRIPTION: 'cli.oclif.description',
  ALIASES: 'cli.oclif.aliases',
  EXAMPLES: 'cli.oclif.examples',
  'FLAG DESCRIPTIONS': 'cli.oclif.flag-descriptions',
  TOPICS: 'cli.oclif.topics',
  COMMANDS: 'cli.oclif.commands',
  VERSION: 'cli.oclif.version',
};

/** oclif's words inside a command's help (flag metadata, value placeholders) and their entries. */
const WORDS: readonly (readonly [string, MessageKey])[] = [
  ['(required)', 'cli.oclif.required'],
  ['[default: ', 'cli.oclif.default'],
  [', env: ', 'cli.oclif.env-after'],
  ['[env: ', 'cli.oclif.env'],
  ['<options: ', 'cli.oclif.options'],
  ['<value>', 'cli.oclif.value'],
  ['<option>', 'cli.oclif.option'],
];

/** The catalogue key prefix of a command: `cli.` and its id with dots (`findings:waive` → `cli.findings.waive`). */
export const commandKey = (id: string): string => `cli.${id.replaceAll(/[: ]/g, '.')}`;

const lookup = (lang: Lang, key: string): string | undefined =>
  isMessageKey(key) ? t(lang, key) : undefined;

/** A copy of a command whose texts (summary, description, examples, flags, arguments) are in `lang`. */
export function translateCommand(command: Command.Loadable, lang: Lang): Command.Loadable {
  const key = commandKey(command.id);
  const examples = lookup(lang, `${key}.examples`);
  const flags = Object.fromEntries<Command.Flag.Cached>(
    Object.entries(command.flags).map(([name, flag]): [string, Command.Flag.Cached] => {
      const text = lookup(lang, `${key}.flag.${name}`) ?? lookup(lang, `cli.flag.${name}`);
      if (text === undefined) return [name, flag];
      const { description: _replaced, ...rest } = flag;
      return [name, { ...rest, summary: text }];
    }),
  );
  const args = Object.fromEntries<Command.Arg.Cached>(
    Object.entries(command.args).map(([name, arg]): [string, Command.Arg.Cached] => {
      const text = lookup(lang, `${key}.arg.${name}`);
      return [name, text === undefined ? arg : { ...arg, description: text }];
    }),
  );
  const summary = lookup(lang, `${key}.summary`);
  const description = lookup(lang, `${key}.description`);
  return {
    ...command,
    ...(summary === undefined ? {} : { summary }),
    ...(description === undefined && summary === undefined ? {} : { description }),
    ...(examples === undefined ? {} : { examples: examples.split('\n') }),
    flags,
    args,
  };
}

/** A topic whose description is in `lang`. */
export function translateTopic(topic: Interfaces.Topic, lang: Lang): Interfaces.Topic {
  const description = lookup(lang, `cli.topic.${topic.name.replaceAll(/[: ]/g, '.')}`);
  return description === undefined ? topic : { ...topic, description };
}

const translateHeader = (lang: Lang, header: string): string => {
  const key = HEADERS[header];
  return key ? t(lang, key) : header;
};

class VigieCommandHelp extends CommandHelp {
  lang: Lang = 'fr';

  override section(header: string, body: Parameters<CommandHelp['section']>[1]): string {
    return super.section(translateHeader(this.lang, header), body);
  }

  private words(text: string): string {
    if (this.lang === 'en') return text;
    let out = text;
    for (const [word, key] of WORDS) out = out.replaceAll(word, t(this.lang, key));
    return out;
  }

  // oclif's words are replaced before the columns are laid out, so that they stay aligned.
  protected override defaultUsage(): string {
    return this.words(super.defaultUsage());
  }

  protected override flagHelpLabel(flag: Command.Flag.Any, showOptions?: boolean): string {
    return this.words(super.flagHelpLabel(flag, showOptions));
  }

  protected override flags(flags: Command.Flag.Any[]): [string, string | undefined][] | undefined {
    return super
      .flags(flags)
      ?.map(([left, right]) => [left, right === undefined ? undefined : this.words(right)]);
  }
}

/**
 * oclif's help in vigie's language (`--lang`, VIGIE_LANG, French by default): command and topic
 * texts come from the catalogue (`cli.*` keys), and so do oclif's own words (headers, "(required)" …).
 * Configured as `oclif.helpClass` in package.json.
 */
export default class VigieHelp extends Help {
  protected lang: Lang = earlyLanguage(process.argv.slice(2));

  override async showHelp(argv: string[]): Promise<void> {
    this.lang = languageFlagValue(argv) ?? this.lang;
    await super.showHelp(argv);
  }

  protected override getCommandHelpClass(command: Command.Loadable): CommandHelp {
    const help = new VigieCommandHelp(command, this.config, this.opts);
    help.lang = this.lang;
    return help;
  }

  override section(header: string, body: Parameters<Help['section']>[1]): string {
    return super.section(translateHeader(this.lang, header), body);
  }

  protected override formatCommand(command: Command.Loadable): string {
    return super.formatCommand(translateCommand(command, this.lang));
  }

  protected override formatCommands(commands: Command.Loadable[]): string {
    return super.formatCommands(commands.map((c) => translateCommand(c, this.lang)));
  }

  protected override summary(command: Command.Loadable): string | undefined {
    return super.summary(translateCommand(command, this.lang));
  }

  protected override formatTopics(topics: Interfaces.Topic[]): string {
    return super.formatTopics(topics.map((topic) => translateTopic(topic, this.lang)));
  }

  protected override formatTopic(topic: Interfaces.Topic): string {
    const { name, description = '' } = translateTopic(topic, this.lang);
    const usage = `$ ${this.config.bin} ${name.replaceAll(':', this.config.topicSeparator)} ${t(this.lang, 'cli.oclif.command-placeholder')}`;
    return `${[description, this.section('USAGE', usage)].filter(Boolean).join('\n\n')}\n`;
  }

  override formatRoot(): string {
    const usage = `$ ${this.config.bin} ${t(this.lang, 'cli.oclif.root-usage')}`;
    return [
      t(this.lang, 'cli.root.summary'),
      this.section('VERSION', this.wrap(this.config.userAgent)),
      this.section('USAGE', this.wrap(usage)),
    ].join('\n\n');
  }
}
