import { Config, type Command } from '@oclif/core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import VigieHelp, { commandKey } from '../../src/cli/help.js';
import { oclifLoadOptions } from '../../src/cli/launch.js';
import { isMessageKey, t, type Lang } from '../../src/i18n/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMANDS_DIR = path.join(ROOT, 'src/commands');

/** Letters and words that only a French text has (the English catalogue uses none of them). */
const FRENCH =
  /[àâçéèêëîïôûùüœ«»]|\b(les|des|du|une|est|avec|sans|pour|dans|fichier|constat|analyse|défaut|sortie|répétable)\b/i;
/** oclif's own English words, which French help must not show. */
const OCLIF_ENGLISH = [
  'USAGE',
  'FLAGS',
  'EXAMPLES',
  'TOPICS',
  'COMMANDS',
  'FLAG DESCRIPTIONS',
  'Format output as json.',
  'See more help with --help',
  '(required)',
  '[default:',
  '<value>',
  '<options:',
  'Display help',
  'Display autocomplete',
];

let config: Config;

/** What `vigie <argv>` prints as help, rendered in-process by vigie's help class. */
async function help(argv: string[]): Promise<string> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  try {
    await new VigieHelp(config, { stripAnsi: true }).showHelp(argv);
  } finally {
    process.stdout.write = write;
  }
  return out.join('');
}

/** Every command file of src/commands with its oclif id (`findings/waive.ts` → `findings:waive`). */
function commandFiles(dir = COMMANDS_DIR): { id: string; file: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return commandFiles(file);
    const id = path
      .relative(COMMANDS_DIR, file)
      .replace(/\.ts$/, '')
      .replace(/\/index$/, '')
      .replaceAll('/', ':');
    return [{ id, file }];
  });
}

beforeAll(async () => {
  config = await Config.load(oclifLoadOptions(ROOT));
});

describe('help in the chosen language', { timeout: 60_000 }, () => {
  const visible = () => config.commands.filter((c) => !c.hidden);

  it('lists every command of src/commands (the loop below covers them all)', () => {
    const ids = visible().map((c) => c.id);
    for (const { id } of commandFiles()) expect(ids).toContain(id);
  });

  it('with --lang en, leaves nothing French in the root help, topic help and every command’s help', async () => {
    const pages: [string, string][] = [['--help', await help(['--lang', 'en'])]];
    for (const topic of config.topics) pages.push([topic.name, await help([topic.name, '--lang=en'])]);
    for (const c of visible()) pages.push([c.id, await help([...c.id.split(':'), '--lang', 'en'])]);
    expect(pages.length).toBeGreaterThan(30);
    for (const [subject, text] of pages) {
      expect(text, subject).toMatch(/\S/);
      expect([subject, FRENCH.exec(text)?.[0]]).toEqual([subject, undefined]);
    }
    expect(pages[0]?.[1]).toContain('TOPICS');
  });

  it('in French (the default), shows none of oclif’s English words', async () => {
    const pages: [string, string][] = [['--help', await help([])]];
    for (const topic of config.topics) pages.push([topic.name, await help([topic.name])]);
    for (const c of visible()) pages.push([c.id, await help(c.id.split(':'))]);
    for (const [subject, text] of pages) {
      for (const word of OCLIF_ENGLISH) expect([subject, text.includes(word)]).toEqual([subject, false]);
    }
    const scan = await help(['scan']);
    for (const header of ['UTILISATION', 'OPTIONS', 'OPTIONS GLOBALES', 'DESCRIPTION', 'EXEMPLES'])
      expect(scan).toMatch(new RegExp(`^${header}$`, 'm'));
    expect(scan).toContain('Sortie au format JSON.');
    expect(scan).toContain('https://HÔTE[:PORT]/');
    // VIGIE_LANG chooses English when --lang does not say.
    const saved = process.env['VIGIE_LANG'];
    process.env['VIGIE_LANG'] = 'en';
    try {
      expect(await help(['scan'])).toContain('Scan the inventory’s endpoints');
    } finally {
      if (saved === undefined) delete process.env['VIGIE_LANG'];
      else process.env['VIGIE_LANG'] = saved;
    }
  });
});

/** The catalogue's text for `key` in `lang`, or undefined when the key does not exist. */
const text = (lang: Lang, key: string) => (isMessageKey(key) ? t(lang, key) : undefined);

describe('command texts: the French catalogue says what the command classes say', () => {
  it('has, for every command, its summary, description, examples, arguments and flags', async () => {
    for (const { id, file } of commandFiles()) {
      const Cmd = ((await import(pathToFileURL(file).href)) as { default: Command.Class }).default;
      const key = commandKey(id);
      expect([id, text('fr', `${key}.summary`)]).toEqual([id, Cmd.summary]);
      expect([id, text('fr', `${key}.description`)]).toEqual([id, Cmd.description]);
      const examples = (Cmd.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command));
      expect([id, text('fr', `${key}.examples`)]).toEqual([
        id,
        examples.length ? examples.join('\n') : undefined,
      ]);
      for (const [name, arg] of Object.entries(Cmd.args ?? {})) {
        if (arg.description)
          expect([id, name, text('fr', `${key}.arg.${name}`)]).toEqual([id, name, arg.description]);
      }
      for (const [name, flag] of Object.entries({ ...Cmd.baseFlags, ...Cmd.flags })) {
        if (flag.hidden) continue;
        const fr = text('fr', `${key}.flag.${name}`) ?? text('fr', `cli.flag.${name}`);
        expect([id, name, fr]).toEqual([id, name, flag.summary ?? flag.description]);
      }
    }
  });

  it('has the topics and the root description of package.json', () => {
    const pjson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      description: string;
      oclif: { topics: Record<string, { description: string }> };
    };
    expect(t('fr', 'cli.root.summary')).toBe(pjson.description);
    for (const [name, topic] of Object.entries(pjson.oclif.topics))
      expect([name, text('fr', `cli.topic.${name}`)]).toEqual([name, topic.description]);
  });
});
