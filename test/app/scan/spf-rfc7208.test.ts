import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTargets } from '../../../src/app/scan/index.js';
import { startDnsServer, type RunningDnsServer, type ZoneRecord } from '../../../src/demo/index.js';
import { fixedClock, type Finding, type ScanResult } from '../../../src/domain/index.js';
import type { Lang } from '../../../src/i18n/index.js';

/*
 * SPF judged to the letter of RFC 7208, end to end: one zone per case, served over UDP and TCP by the
 * project's DNS server on loopback (127.0.0.72), scanned as the `domains:` of an inventory are. The
 * cases are ours, each citing the RFC section it exercises; where the OpenSPF test suite
 * (rfc7208-tests.yml) has the same situation, its test name is given for cross-reference.
 */

const HOST = '127.0.0.72';
const ZONE = 'rfc7208.test';
/** `label.rfc7208.test`, or `name.label.rfc7208.test`. */
const at = (label: string, name?: string): string => (name ? `${name}.${label}.${ZONE}` : `${label}.${ZONE}`);

const txt = (name: string, data: string): ZoneRecord => ({ name, type: 'TXT', data });
const a = (name: string, address: string): ZoneRecord => ({ name, type: 'A', data: address });
const aaaa = (name: string, address: string): ZoneRecord => ({ name, type: 'AAAA', data: address });
const mx = (name: string, preference: number, exchange: string): ZoneRecord => ({
  name,
  type: 'MX',
  data: { preference, exchange },
});

interface Case {
  label: string;
  /** The apex SPF record. */
  spf: string;
  extra?: ZoneRecord[];
}

const hosts = (label: string, count: number) =>
  Array.from({ length: count }, (_, i) => at(label, `h${i + 1}`));

const CASES: Case[] = [
  // 1. §4.6.1: terms are separated by spaces only; a CR between two terms breaks the record
  //    (OpenSPF "control-char-policy") ...
  {
    label: 'sep-cr',
    spf: `v=spf1 a:${at('sep-cr', 'ctrl')}\rptr -all`,
    extra: [a(at('sep-cr', 'ctrl'), '192.0.2.3')],
  },
  //    ... while several spaces in a row are fine (OpenSPF "two-spaces").
  { label: 'sep-espaces', spf: 'v=spf1 ip4:192.0.2.0/24  -all' },

  // 2. §4.6, §5.2, §6.1: an included or redirected record is parsed when reached; its syntax errors
  //    are a permerror (OpenSPF "include-permerror", "redirect-syntax-error").
  {
    label: 'inclus',
    spf: `v=spf1 ip4:192.0.2.0/24 include:${at('inclus', 'a')} -all`,
    extra: [
      txt(at('inclus', 'a'), `v=spf1 include:${at('inclus', 'b')} -all`),
      txt(at('inclus', 'b'), 'v=spf1 ip4:198.51.100.0/24 xyz -all'),
    ],
  },
  {
    label: 'redirige',
    spf: `v=spf1 redirect=${at('redirige', '_spf')}`,
    extra: [txt(at('redirige', '_spf'), 'v=spf1 ip4:192.0.2.300 -all')],
  },

  // 3. §4.6.4: a receiver follows an include or redirect loop until the lookup limit: a permerror
  //    (OpenSPF "include-loop", "redirect-loop").
  {
    label: 'boucle',
    spf: `v=spf1 include:${at('boucle', 'a')} -all`,
    extra: [txt(at('boucle', 'a'), `v=spf1 ip4:192.0.2.1 include:${at('boucle')} -all`)],
  },
  { label: 'boucle-redirect', spf: `v=spf1 ip4:192.0.2.1 redirect=${at('boucle-redirect')}` },

  // 4. §4.6.4: more than two void lookups (NXDOMAIN, or an empty answer) is a permerror
  //    (OpenSPF "void-over-limit"); two is fine ("void-at-limit"). `hote` exists but has no MX.
  {
    label: 'vides',
    spf: `v=spf1 a:${at('vides', 'nx1')} mx:${at('vides', 'hote')} exists:${at('vides', 'nx2')} ip4:192.0.2.0/24 -all`,
    extra: [a(at('vides', 'hote'), '192.0.2.5')],
  },
  {
    label: 'vides-limite',
    spf: `v=spf1 a:${at('vides-limite', 'nx1')} a:${at('vides-limite', 'nx2')} ip4:192.0.2.0/24 -all`,
  },
  //    §5.3: `a` asks AAAA for an IPv6 client: names with an A only are void for IPv6 senders alone.
  {
    label: 'vides-ipv6',
    spf: `v=spf1 ip4:192.0.2.0/24 ${hosts('vides-ipv6', 3)
      .map((h) => `a:${h}`)
      .join(' ')} -all`,
    extra: hosts('vides-ipv6', 3).map((h, i) => a(h, `192.0.2.${20 + i}`)),
  },

  // 5. §7.1: a domain-spec may hold `:` and `/`; only a trailing `/N` or `//N` is a CIDR length
  //    (OpenSPF "a-colon-domain", "mx-colon-domain").
  {
    label: 'deux-points',
    spf: `v=spf1 a:${at('deux-points', 'foo:bar/baz')} mx:${at('deux-points', 'foo:bar/baz')}/24//64 -all`,
    extra: [
      a(at('deux-points', 'foo:bar/baz'), '192.0.2.10'),
      mx(at('deux-points', 'foo:bar/baz'), 10, at('deux-points', 'mail')),
      a(at('deux-points', 'mail'), '192.0.2.11'),
    ],
  },

  // 6. §4.6.4: an `mx` term whose MX set has more than 10 records is a permerror (OpenSPF "mx-limit");
  //    10 is fine.
  {
    label: 'mx-onze',
    spf: `v=spf1 mx:${at('mx-onze', 'envoi')} -all`,
    extra: Array.from({ length: 11 }, (_, i) => mx(at('mx-onze', 'envoi'), i, at('mx-onze', `mx${i}`))),
  },
  {
    label: 'mx-dix',
    spf: `v=spf1 mx:${at('mx-dix', 'envoi')} -all`,
    extra: Array.from({ length: 10 }, (_, i) => mx(at('mx-dix', 'envoi'), i, at('mx-dix', `mx${i}`))),
  },

  // Bounds: receivers stop at the 11th lookup, so only the targets of the first 10 are resolved.
  {
    label: 'bornes',
    spf: `v=spf1 ${hosts('bornes', 12)
      .map((h) => `a:${h}`)
      .join(' ')} -all`,
    extra: hosts('bornes', 12).flatMap((h, i) => [a(h, `192.0.2.${30 + i}`), aaaa(h, `2001:db8::${30 + i}`)]),
  },
  // A target that never answers: two voids seen, the third cannot be told — never a pass.
  {
    label: 'cible-muette',
    spf: `v=spf1 a:${at('cible-muette', 'nx1')} a:${at('cible-muette', 'nx2')} a:${at('cible-muette', 'muet')} -all`,
  },
];

function zone(c: Case): ZoneRecord[] {
  const domain = at(c.label);
  return [
    { name: domain, type: 'SOA', data: { mname: `ns1.${domain}`, rname: `hostmaster.${domain}` } },
    txt(domain, c.spf),
    ...(c.extra ?? []),
  ];
}

let dir: string;
let dns: RunningDnsServer;
let result: ScanResult;

const scan = (labels: readonly string[], lang: Lang, timeoutMs: number) =>
  scanTargets(
    { clock: fixedClock(new Date('2026-12-01T09:00:00Z')), lang, dataDir: path.join(dir, `data-${lang}`) },
    {
      targets: [],
      endpoints: [],
      domains: labels.map((label) => ({ domain: at(label), assetId: label, dkimSelectors: [] })),
      inventoryFile: path.join(dir, 'absent.yml'),
      caFiles: [],
      categories: ['dns'],
      save: false,
      resolver: dns.address,
      validatingResolver: false,
      timeoutMs,
    },
  );

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-spf-'));
  dns = await startDnsServer({
    host: HOST,
    records: CASES.flatMap(zone),
    silent: [at('cible-muette', 'muet')],
  });
  result = await scan(
    CASES.map((c) => c.label),
    'fr',
    1500,
  );
}, 30_000);

afterAll(async () => {
  await dns?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const findingsOf = (r: ScanResult, label: string, checkId: string): Finding[] =>
  r.findings.filter((f) => f.host === at(label) && f.checkId === checkId);
const detailsOf = (label: string, checkId = 'mail.spf.invalid') =>
  findingsOf(result, label, checkId).map((f) => f.details);
const statusOf = (label: string, checkId = 'mail.spf.invalid') =>
  result.endpoints.find((e) => e.host === at(label))?.checks[checkId];

describe('SPF to the letter of RFC 7208, against loopback zones', () => {
  it('1. refuses a control character between terms, for every sender, and accepts several spaces', () => {
    expect(detailsOf('sep-cr')).toEqual([
      {
        domain: at('sep-cr'),
        problem: 'invalid-separator',
        term: `a:${at('sep-cr', 'ctrl')}\\rptr`,
        scope: 'every-sender',
      },
    ]);
    const [finding] = findingsOf(result, 'sep-cr', 'mail.spf.invalid');
    expect(finding?.evidence).toBe(
      `L’enregistrement SPF de ${at('sep-cr')} est invalide (invalid-separator : « a:${at('sep-cr', 'ctrl')}\\rptr ») : ` +
        'les destinataires le traitent comme une erreur permanente (permerror) pour tout expéditeur : le domaine n’a plus de SPF utilisable.',
    );
    expect(statusOf('sep-espaces')).toBe('pass');
    expect(statusOf('sep-espaces', 'mail.spf.permissive')).toBe('pass');
  });

  it('2. reports a syntax error of an included or redirected record with the path that reaches it', () => {
    const reach = `include:${at('inclus', 'a')} → include:${at('inclus', 'b')}`;
    expect(detailsOf('inclus')).toEqual([
      {
        domain: at('inclus'),
        problem: 'unknown-mechanism',
        term: `${reach} → xyz`,
        // The ip4 mechanism before the include matches some senders: they never reach it.
        scope: 'reaching-term',
        reach,
      },
    ]);
    expect(findingsOf(result, 'inclus', 'mail.spf.invalid')[0]?.evidence).toContain(
      `(unknown-mechanism : « ${reach} → xyz ») : les destinataires le traitent comme une erreur permanente (permerror) ` +
        `pour les expéditeurs dont l’évaluation atteint « ${reach} »`,
    );
    // A redirect with no mechanism before it is reached by every sender.
    expect(detailsOf('redirige')).toEqual([
      {
        domain: at('redirige'),
        problem: 'invalid-ip4',
        term: `redirect=${at('redirige', '_spf')} → ip4:192.0.2.300`,
        scope: 'every-sender',
      },
    ]);
  });

  it('3. reports include and redirect loops as permanent errors, with the loop’s path', () => {
    const loop = `include:${at('boucle', 'a')} → include:${at('boucle')}`;
    expect(detailsOf('boucle')).toEqual([
      { domain: at('boucle'), problem: 'include-loop', term: loop, scope: 'reaching-term', reach: loop },
    ]);
    const redirect = `redirect=${at('boucle-redirect')}`;
    expect(detailsOf('boucle-redirect')).toEqual([
      {
        domain: at('boucle-redirect'),
        problem: 'redirect-loop',
        term: redirect,
        scope: 'reaching-term',
        reach: redirect,
      },
    ]);
  });

  it('4. counts void lookups of a, mx, include and exists targets, per address family', () => {
    const voids = [
      `a:${at('vides', 'nx1')}`,
      `mx:${at('vides', 'hote')}`,
      `exists:${at('vides', 'nx2')}`,
    ].join(' ; ');
    // The two void terms before the third cannot match: every sender reaches it.
    expect(detailsOf('vides')).toEqual([
      { domain: at('vides'), problem: 'void-lookups', term: voids, scope: 'every-sender' },
    ]);
    expect(statusOf('vides-limite')).toBe('pass');
    expect(detailsOf('vides-ipv6')).toEqual([
      {
        domain: at('vides-ipv6'),
        problem: 'void-lookups',
        term: hosts('vides-ipv6', 3)
          .map((h) => `a:${h}`)
          .join(' ; '),
        // ip4 never matches an IPv6 client, nor do names without AAAA.
        scope: 'every-ipv6-sender',
      },
    ]);
    // The targets were asked of the configured server, A and AAAA for `a`, MX for `mx`, A for `exists`.
    const asked = (name: string) =>
      [...new Set(dns.queries.filter((q) => q.name === name).map((q) => q.type))].sort();
    expect(asked(at('vides', 'nx1'))).toEqual(['A', 'AAAA']);
    expect(asked(at('vides', 'hote'))).toEqual(['MX']);
    expect(asked(at('vides', 'nx2'))).toEqual(['A']);
  });

  it('5. takes `:` and `/` inside a domain-spec as part of the name, and resolves that name', () => {
    expect(statusOf('deux-points')).toBe('pass');
    const name = at('deux-points', 'foo:bar/baz');
    expect(dns.queries.filter((q) => q.name === name).map((q) => q.type)).toEqual(
      expect.arrayContaining(['A', 'AAAA', 'MX']),
    );
  });

  it('6. refuses an mx term whose MX set has more than 10 records', () => {
    const term = `mx:${at('mx-onze', 'envoi')}`;
    expect(detailsOf('mx-onze')).toEqual([
      { domain: at('mx-onze'), problem: 'too-many-mx', term: `${term} (11 MX)`, scope: 'every-sender' },
    ]);
    expect(statusOf('mx-dix')).toBe('pass');
  });

  it('resolves the targets of the first 10 lookups only, once each', () => {
    expect(detailsOf('bornes', 'mail.spf.too-many-lookups')).toEqual([
      expect.objectContaining({ lookups: 12, limit: 10 }),
    ]);
    expect(statusOf('bornes')).toBe('pass');
    const bornes = dns.queries.filter((q) => /^h\d+\./.test(q.name) && q.name.endsWith(`.${at('bornes')}`));
    expect(new Set(bornes.map((q) => `${q.type} ${q.name}`)).size).toBe(20);
    expect(bornes.some((q) => q.name === at('bornes', 'h11') || q.name === at('bornes', 'h12'))).toBe(false);
  });

  it('never passes a verdict that depends on a target that did not answer', () => {
    expect(statusOf('cible-muette')).toBe('error');
    const [timeout] = findingsOf(result, 'cible-muette', 'scan.timeout');
    expect(timeout?.details['detail']).toContain(at('cible-muette', 'muet'));
    expect(findingsOf(result, 'cible-muette', 'mail.spf.invalid')).toEqual([]);
  });

  it('says who is hit in English too', async () => {
    const en = await scan(['inclus', 'vides-ipv6'], 'en', 1500);
    const reach = `include:${at('inclus', 'a')} → include:${at('inclus', 'b')}`;
    expect(findingsOf(en, 'inclus', 'mail.spf.invalid')[0]?.evidence).toBe(
      `The SPF record of ${at('inclus')} is invalid (unknown-mechanism: “${reach} → xyz”): receivers treat it as a ` +
        `permanent error (permerror) for the senders whose evaluation reaches “${reach}” (those no earlier mechanism matches).`,
    );
    expect(findingsOf(en, 'vides-ipv6', 'mail.spf.invalid')[0]?.evidence).toMatch(
      /\(permerror\) for every IPv6 sender\.$/,
    );
  });
});
