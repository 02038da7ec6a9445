import { DEFAULT_SCHEDULE } from '../../config/index.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';

export interface InventoryTemplateInput {
  organisation: string;
  /** Mail domains, already checked as DNS names: one asset that is only these domains. */
  domains: readonly string[];
  lang: Lang;
  /** `playbooks.dir`, relative to the file. */
  playbooksDir: string;
}

/** The text of a message as YAML comment lines, indented by `indent` spaces. */
const comment = (lang: Lang, key: MessageKey, indent = 0): string[] =>
  t(lang, key)
    .split('\n')
    .map((line) => `${' '.repeat(indent)}# ${line}`.trimEnd());

const PLAIN = /^\p{L}[\p{L}\p{N} ._’()-]*$/u;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n)$/i;

/**
 * A string as a YAML scalar that reads back as the same string: plain when it is only letters,
 * digits, spaces and a few signs, else a JSON string (a YAML double-quoted scalar).
 */
const quoted = (value: string): string =>
  PLAIN.test(value) && !RESERVED.test(value) && value.trim() === value ? value : JSON.stringify(value);

/**
 * The commented `vigie.yml` that `vigie init` writes, in the style of examples/vigie.yml: comments in
 * `lang`, every section with its defaults spelt out, optional sections (mail, dns) commented out.
 */
export function renderInventoryTemplate(input: InventoryTemplateInput): string {
  const { lang } = input;
  const note = (key: MessageKey): string => ` # ${t(lang, key)}`;
  const lines: string[] = [
    ...comment(lang, 'init.yml.header'),
    '',
    ...comment(lang, 'init.yml.organisation'),
    'organisation:',
    `  name: ${quoted(input.organisation)}`,
    `  language: ${lang}${note('init.yml.language')}`,
    `  timezone: Europe/Paris${note('init.yml.timezone')}`,
    '',
    ...comment(lang, 'init.yml.playbooks'),
    'playbooks:',
    `  dir: ${quoted(input.playbooksDir)}`,
    '',
    ...comment(lang, 'init.yml.assets'),
  ];
  if (input.domains.length === 0) lines.push('assets: []');
  else {
    lines.push(
      'assets:',
      ...comment(lang, 'init.yml.mail-asset', 2),
      `  - id: ${t(lang, 'init.yml.mail-asset.id')}`,
      `    name: ${quoted(t(lang, 'init.yml.mail-asset.name'))}`,
      `    owner: ${quoted(t(lang, 'init.yml.mail-asset.owner'))}${note('init.yml.owner-todo')}`,
      `    criticality: high${note('init.yml.criticality')}`,
      '    domains:',
      ...input.domains.map((d) => `      - ${d}`),
    );
  }
  lines.push(
    ...comment(lang, 'init.yml.example', 2),
    '',
    ...comment(lang, 'init.yml.scan'),
    'scan:',
    `  timeoutMs: 5000${note('init.yml.scan.timeout')}`,
    `  concurrency: 32${note('init.yml.scan.concurrency')}`,
    `  certificateExpiryDays: 30${note('init.yml.scan.expiry')}`,
    '',
    ...comment(lang, 'init.yml.schedule'),
    'schedule:',
    `  scan: '${DEFAULT_SCHEDULE.scan}'${note('init.yml.schedule.scan')}`,
    `  digest: '${DEFAULT_SCHEDULE.digest}'${note('init.yml.schedule.digest')}`,
    `  certificateAlerts: '${DEFAULT_SCHEDULE.certificateAlerts}'${note('init.yml.schedule.certificates')}`,
    `  discovery: '${DEFAULT_SCHEDULE.discovery}'${note('init.yml.schedule.discovery')}`,
    '',
    ...comment(lang, 'init.yml.mail'),
    '',
    ...comment(lang, 'init.yml.dns'),
  );
  return `${lines.join('\n')}\n`;
}
