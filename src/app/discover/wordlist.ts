import fs from 'node:fs';
import { UsageError } from '../../domain/index.js';
import { msg } from '../../i18n/index.js';

/** Names commonly forgotten under a local authority's domain (tried under each domain). */
export const BUILTIN_WORDS: readonly string[] = [
  'www',
  'mail',
  'webmail',
  'smtp',
  'imap',
  'mx',
  'autodiscover',
  'vpn',
  'remote',
  'owa',
  'extranet',
  'intranet',
  'portail',
  'portal',
  'api',
  'test',
  'tests',
  'dev',
  'preprod',
  'recette',
  'staging',
  'demo',
  'old',
  'ancien',
  'archive',
  'beta',
  'ftp',
  'sftp',
  'git',
  'gitlab',
  'wiki',
  'jira',
  'sso',
  'cas',
  'auth',
  'citrix',
  'rdp',
  'ent',
  'moodle',
  'blog',
  'boutique',
  'shop',
  'agenda',
  'elections',
  'carto',
  'sig',
  'geo',
  'opendata',
  'data',
  'media',
  'static',
  'cdn',
  'assets',
  'files',
  'cloud',
  'nextcloud',
  'visio',
  'jitsi',
  'backup',
  'monitoring',
  'grafana',
  'status',
  'support',
  'aide',
  'helpdesk',
  'rh',
  'paie',
  'finances',
  'marches',
  'teleservices',
  'demarches',
  'rdv',
  'piscine',
  'mediatheque',
  'culture',
  'tourisme',
  'jeunesse',
  'festival',
];

/** SRV services asked under each domain (their targets inside the domain are candidates). */
export const SRV_SERVICES: readonly string[] = [
  '_sip._tls',
  '_sipfederationtls._tcp',
  '_autodiscover._tcp',
  '_xmpp-client._tcp',
  '_xmpp-server._tcp',
  '_imaps._tcp',
  '_submission._tcp',
  '_caldavs._tcp',
  '_carddavs._tcp',
  '_ldap._tcp',
  '_kerberos._tcp',
];

/** Largest word list accepted from a file. */
export const MAX_WORDS = 5000;
const MAX_WORDLIST_BYTES = 512 * 1024;
const WORD = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The built-in words plus a file's (one label per line, `#` comments); refuses an over-large or malformed file. */
export function loadWordlist(file?: string): string[] {
  const words = new Set(BUILTIN_WORDS);
  if (file === undefined) return [...words];
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_WORDLIST_BYTES)
      throw new UsageError(
        msg('texts2.wordlist.too-big', { file, size: stat.size, max: MAX_WORDLIST_BYTES }),
      );
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(msg('texts2.wordlist.unreadable', { file, error: String(error) }), {
      hint: msg('texts2.wordlist.hint'),
    });
  }
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const word = raw.replace(/#.*/, '').trim().toLowerCase();
    if (word === '') return;
    if (!WORD.test(word))
      throw new UsageError(
        msg('texts2.wordlist.bad-word', { file, line: index + 1, word: word.slice(0, 80) }),
      );
    words.add(word);
  });
  if (words.size > MAX_WORDS + BUILTIN_WORDS.length)
    throw new UsageError(msg('texts2.wordlist.too-many', { file, max: MAX_WORDS }));
  return [...words];
}
