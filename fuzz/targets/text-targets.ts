import fc from 'fast-check';
import { parseDkimKey } from '../../src/domain/dkim.js';
import { parseDmarc } from '../../src/domain/dmarc.js';
import {
  effectiveReferrerPolicy,
  parseContentType,
  parseCsp,
  parseHsts,
  parseSetCookie,
  type CspPolicy,
} from '../../src/domain/http-headers.js';
import { mxMatchesPattern, parseMtaStsPolicy, parseMtaStsRecord } from '../../src/domain/mta-sts.js';
import { parseSecurityTxt } from '../../src/domain/security-txt.js';
import { parseSpf, type ParsedSpf } from '../../src/domain/spf.js';
import { parseTlsRpt } from '../../src/domain/tls-rpt.js';
import { mutatedText } from '../mutate.js';
import { fixtureTexts, testVectors } from '../seeds.js';
import { expectThat, onlyThrows, sameData, type FuzzTarget } from '../target.js';

/*
 * The text parsers of DNS records and HTTP headers: pure functions that must return a result for
 * any text (problems are part of the result), never throw. Where vigie can write the format back,
 * parse → render → parse gives the same structure.
 */

const seeded = (name: string, vectors: string[], extra: string[]): string[] => {
  const seeds = [...new Set([...vectors, ...extra, ...fixtureTexts(name)])];
  return seeds.length > 0 ? seeds : [''];
};

const renderSpf = (p: ParsedSpf): string => ['v=spf1', ...p.terms.map((t) => t.raw)].join(' ');

export const spfTarget: FuzzTarget<string> = {
  name: 'spf',
  input: 'text',
  about: 'SPF record (RFC 7208): parseSpf; terms stable through render',
  arbitrary: () =>
    mutatedText(
      seeded('spf', testVectors('test/domain/spf.test.ts', /^v=spf/i), [
        'v=spf1 ip4:192.0.2.0/24 include:_spf.exemple.test ~all',
      ]),
      [
        'v=spf1',
        ' ',
        '  ',
        'ip4:',
        'ip6:',
        'a',
        'mx',
        'ptr',
        'include:',
        'exists:',
        'redirect=',
        'exp=',
        '-all',
        '~all',
        '?',
        '+',
        '/',
        '//',
        '%{d}',
        '%{ir}.%{v}',
        '.',
        ':',
        '=',
        '2001:db8::',
        '192.0.2.1',
        '/33',
        '/129',
        '\t',
        '\n',
      ],
    ),
  check(txt) {
    const first = onlyThrows(() => parseSpf(txt));
    if (first === undefined) return;
    const again = onlyThrows(() => parseSpf(renderSpf(first)));
    expectThat(
      again !== undefined && sameData(again.terms, first.terms),
      'SPF terms change through render → parse',
    );
  },
};

const renderTags = (tags: Record<string, string>): string =>
  Object.entries(tags)
    .map(([n, v]) => `${n}=${v}`)
    .join('; ');

export const dmarcTarget: FuzzTarget<string> = {
  name: 'dmarc',
  input: 'text',
  about: 'DMARC record (RFC 7489): parseDmarc; tags stable through render',
  arbitrary: () =>
    mutatedText(
      seeded('dmarc', testVectors('test/domain/dmarc.test.ts', /^v=dmarc/i), [
        'v=DMARC1; p=reject; rua=mailto:dmarc@exemple.test; pct=100',
      ]),
      [
        'v=DMARC1',
        ';',
        '; ',
        '=',
        'p=',
        'sp=',
        'rua=',
        'ruf=',
        'mailto:',
        '@',
        ',',
        '!',
        '10m',
        'pct=',
        'adkim=s',
        'aspf=r',
        'fo=1',
        'none',
        'quarantine',
        'reject',
        ' ',
        '\t',
      ],
    ),
  check(txt) {
    const first = onlyThrows(() => parseDmarc(txt));
    if (first === undefined) return;
    const again = onlyThrows(() => parseDmarc(renderTags(first.tags)));
    expectThat(
      again !== undefined && sameData(again.tags, first.tags),
      'DMARC tags change through render → parse',
    );
  },
};

export const dkimTarget: FuzzTarget<string> = {
  name: 'dkim',
  input: 'text',
  about: 'DKIM key record (RFC 6376): parseDkimKey',
  arbitrary: () =>
    mutatedText(
      seeded('dkim', testVectors('test/domain/dkim.test.ts', /^(v=DKIM1|k=|p=)/i), [
        'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA',
      ]),
      [
        'v=DKIM1',
        ';',
        'k=rsa',
        'k=ed25519',
        'p=',
        'h=sha256',
        't=y',
        's=email',
        '=',
        ' ',
        'A',
        '+',
        '/',
        '==',
      ],
    ),
  check(txt) {
    onlyThrows(() => parseDkimKey(txt));
  },
};

export const mtaStsTarget: FuzzTarget<string> = {
  name: 'mta-sts',
  input: 'text',
  about: 'MTA-STS record and policy file (RFC 8461): parseMtaStsRecord, parseMtaStsPolicy, mxMatchesPattern',
  arbitrary: () =>
    mutatedText(
      seeded(
        'mta-sts',
        [
          ...testVectors('test/domain/mta-sts.test.ts', /^v=STSv1/i),
          ...testVectors('test/domain/mta-sts.test.ts', /^version: STSv1/),
        ],
        [
          'v=STSv1; id=20260101T000000;',
          'version: STSv1\nmode: enforce\nmx: *.exemple.test\nmax_age: 604800\n',
        ],
      ),
      [
        'v=STSv1',
        'id=',
        ';',
        'version: STSv1',
        'mode: ',
        'enforce',
        'testing',
        'none',
        'mx: ',
        '*.',
        'max_age: ',
        '31557601',
        '\n',
        '\r\n',
        ':',
        ' ',
      ],
    ),
  check(txt) {
    onlyThrows(() => parseMtaStsRecord(txt));
    const policy = onlyThrows(() => parseMtaStsPolicy(txt));
    for (const pattern of policy?.mx ?? []) onlyThrows(() => mxMatchesPattern('mx1.exemple.test', pattern));
  },
};

export const tlsRptTarget: FuzzTarget<string> = {
  name: 'tls-rpt',
  input: 'text',
  about: 'TLS-RPT record (RFC 8460): parseTlsRpt',
  arbitrary: () =>
    mutatedText(
      seeded('tls-rpt', testVectors('test/domain/tls-rpt.test.ts', /^v=TLSRPT/i), [
        'v=TLSRPTv1; rua=mailto:tlsrpt@exemple.test,https://r.exemple.test/x',
      ]),
      ['v=TLSRPTv1', ';', 'rua=', 'mailto:', 'https://', ',', '!', '@', ' ', '='],
    ),
  check(txt) {
    onlyThrows(() => parseTlsRpt(txt));
  },
};

export const securityTxtTarget: FuzzTarget<string> = {
  name: 'security-txt',
  input: 'text',
  about: 'security.txt (RFC 9116): parseSecurityTxt',
  arbitrary: () =>
    mutatedText(
      seeded(
        'security-txt',
        testVectors('test/domain/security-txt.test.ts', /^(Contact|Expires|#|-----BEGIN)/m),
        [
          'Contact: mailto:securite@exemple.test\nExpires: 2027-01-01T00:00:00Z\nPreferred-Languages: fr, en\n',
        ],
      ),
      [
        'Contact: ',
        'Expires: ',
        '2026-02-31T00:00:00Z',
        'Z',
        '+01:00',
        'mailto:',
        'https://',
        '\n',
        '\r\n',
        '\r',
        '#',
        ':',
        '-----BEGIN PGP SIGNED MESSAGE-----\n',
        '-----BEGIN PGP SIGNATURE-----',
        'Hash: SHA256\n\n',
        '- ',
        'Canonical: ',
        'Policy: ',
      ],
    ),
  check(txt) {
    onlyThrows(() => parseSecurityTxt(txt, { now: new Date('2026-12-01T00:00:00Z') }));
  },
};

const renderCsp = (policies: readonly CspPolicy[]): string =>
  policies
    .map((p) => [...p.directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; '))
    .join(', ');

export const httpHeadersTarget: FuzzTarget<string> = {
  name: 'http-headers',
  input: 'text',
  about: 'HTTP header values: CSP (stable through render), HSTS, Set-Cookie, Referrer-Policy, Content-Type',
  arbitrary: () =>
    fc.oneof(
      mutatedText(
        seeded(
          'http-headers',
          [],
          [
            "default-src 'self'; script-src 'self' 'nonce-abc' https://cdn.exemple.test; object-src 'none'",
            'max-age=63072000; includeSubDomains; preload',
            'sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600; Domain=exemple.test',
            'no-referrer, strict-origin-when-cross-origin',
            'text/html; charset="UTF-8"',
          ],
        ),
        [
          ';',
          ',',
          ' ',
          "'self'",
          "'unsafe-inline'",
          "'unsafe-eval'",
          "'nonce-",
          "'sha256-",
          'max-age=',
          '"',
          '=',
          'Secure',
          'HttpOnly',
          'SameSite=',
          'Path=',
          'charset=',
          '\t',
          '\u0000',
          '\u00a0',
        ],
      ),
    ),
  check(value) {
    const csp = onlyThrows(() => parseCsp([value]));
    if (csp !== undefined) {
      const again = onlyThrows(() => parseCsp([renderCsp(csp)]));
      // A policy without directives (`;`) has nothing to write back: compare the others.
      const written = (list: CspPolicy[]) =>
        list.filter((p) => p.directives.size > 0).map((p) => p.directives);
      expectThat(
        again !== undefined && sameData(written(again), written(csp)),
        'CSP directives change through render → parse',
      );
    }
    onlyThrows(() => parseHsts([value]));
    onlyThrows(() => parseHsts([value, value]));
    onlyThrows(() => parseSetCookie(value));
    onlyThrows(() => effectiveReferrerPolicy([value]));
    onlyThrows(() => parseContentType(value));
  },
};

export const TEXT_TARGETS: readonly FuzzTarget<string>[] = [
  spfTarget,
  dmarcTarget,
  dkimTarget,
  mtaStsTarget,
  tlsRptTarget,
  securityTxtTarget,
  httpHeadersTarget,
];
