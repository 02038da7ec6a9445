import { describe, expect, it } from 'vitest';
import type { HttpMatcher, HttpResponseFacts, HttpRule, TcpRule } from '../../src/domain/index.js';
import {
  MAX_MATCHED_BODY_CHARS,
  customRegex,
  customRegexProblem,
  matchHttp,
  matchTcp,
} from '../../src/domain/custom-matchers.js';

function response(overrides: Partial<HttpResponseFacts> = {}): HttpResponseFacts {
  return {
    url: 'https://www.exemple.test/server-status',
    status: 200,
    headers: [
      ['server', 'Apache/2.4.57 (Debian)'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'session=2; Secure'],
    ],
    body: '<h1>Apache Server Status for www.exemple.test</h1>',
    bodyTruncated: false,
    ...overrides,
  };
}

const rule = (...matchers: HttpMatcher[]): HttpRule => ({
  path: '/server-status',
  scheme: 'https',
  matchers,
});

describe('matchHttp', () => {
  it('raises when every matcher holds, and says which held', () => {
    const result = matchHttp(
      rule({ status: [200] }, { body: { contains: 'Apache Server Status' } }),
      response(),
    );
    expect(result).toEqual({
      matched: true,
      evidence: {
        path: '/server-status',
        status: 200,
        url: 'https://www.exemple.test/server-status',
        matched: 'status 200; body contains "Apache Server Status"',
      },
    });
  });

  it('stays silent when one matcher fails, and names it', () => {
    const result = matchHttp(
      rule({ status: [200] }, { body: { contains: 'Apache Server Status' } }),
      response({ status: 403 }),
    );
    expect(result.matched).toBe(false);
    expect(result.unmatched).toBe('status 200');
  });

  it('matches the status against a list', () => {
    expect(matchHttp(rule({ status: [200, 206] }), response({ status: 206 })).matched).toBe(true);
    expect(matchHttp(rule({ status: [200, 206] }), response({ status: 404 })).matched).toBe(false);
  });

  it('compares header names case-insensitively, for present and absent', () => {
    expect(matchHttp(rule({ header: 'SERVER', present: true }), response()).matched).toBe(true);
    expect(matchHttp(rule({ header: 'X-Powered-By', present: true }), response()).matched).toBe(false);
    expect(matchHttp(rule({ header: 'Content-Security-Policy', absent: true }), response()).matched).toBe(
      true,
    );
    expect(matchHttp(rule({ header: 'Server', absent: true }), response()).matched).toBe(false);
  });

  it('tries a header regex on each value of a repeated header', () => {
    expect(matchHttp(rule({ header: 'Set-Cookie', matches: '^session=' }), response()).matched).toBe(true);
    expect(matchHttp(rule({ header: 'Set-Cookie', matches: '^other=' }), response()).matched).toBe(false);
    expect(matchHttp(rule({ header: 'Server', matches: 'Apache/2\\.4\\.' }), response()).matched).toBe(true);
    expect(matchHttp(rule({ header: 'X-Missing', matches: '.*' }), response()).matched).toBe(false);
  });

  it('matches the body with contains (case-sensitive) and regex', () => {
    expect(matchHttp(rule({ body: { contains: 'Server Status' } }), response()).matched).toBe(true);
    expect(matchHttp(rule({ body: { contains: 'server status' } }), response()).matched).toBe(false);
    const git = rule({ body: { regex: '^ref: refs/' } });
    expect(matchHttp(git, response({ body: 'ref: refs/heads/main\n' })).matched).toBe(true);
    expect(matchHttp(git, response({ body: '<html>ref: refs/heads/main</html>' })).matched).toBe(false);
  });

  it('reads the body only up to its bound', () => {
    const padding = 'x'.repeat(MAX_MATCHED_BODY_CHARS);
    const lateMarker = response({ body: `${padding}Apache Server Status` });
    expect(matchHttp(rule({ body: { contains: 'Apache Server Status' } }), lateMarker).matched).toBe(false);
    expect(matchHttp(rule({ body: { regex: 'Apache Server Status' } }), lateMarker).matched).toBe(false);
    const justInside = response({ body: `${padding.slice(20)}Apache Server Status` });
    expect(matchHttp(rule({ body: { contains: 'Apache Server Status' } }), justInside).matched).toBe(true);
  });
});

describe('matchTcp', () => {
  const smtp: TcpRule = {
    port: 25,
    send: 'EHLO vigie.invalid\\r\\n',
    matchers: [{ banner: { contains: 'ESMTP' } }, { banner: { regex: 'Exim 4\\.[0-8][0-9]\\b' } }],
  };

  it('raises when every banner matcher holds, with an escaped excerpt as evidence', () => {
    const result = matchTcp(smtp, '220 mx.exemple.test ESMTP Exim 4.80\r\n');
    expect(result).toEqual({
      matched: true,
      evidence: {
        port: 25,
        banner: '220 mx.exemple.test ESMTP Exim 4.80\\r\\n',
        matched: 'banner contains "ESMTP"; banner matches /Exim 4\\.[0-8][0-9]\\b/',
      },
    });
  });

  it('stays silent when one fails', () => {
    const result = matchTcp(smtp, '220 mx.exemple.test ESMTP Postfix\r\n');
    expect(result.matched).toBe(false);
    expect(result.unmatched).toBe('banner matches /Exim 4\\.[0-8][0-9]\\b/');
    expect(matchTcp(smtp, '').matched).toBe(false);
  });

  it('escapes control bytes and bounds the excerpt', () => {
    const result = matchTcp(
      { port: 6379, matchers: [{ banner: { contains: 'x' } }] },
      `\x00\x1b${'x'.repeat(500)}`,
    );
    expect(result.evidence.banner).toMatch(/^\\x00\\x1bx+…$/);
    expect(String(result.evidence.banner).length).toBeLessThan(140);
  });
});

describe('customRegexProblem', () => {
  it('accepts ordinary expressions and compiles each once', () => {
    expect(customRegexProblem('^ref: refs/')).toBeUndefined();
    expect(customRegexProblem('^(?:ref: refs/|[0-9a-f]{40}\\s*$)')).toBeUndefined();
    expect(customRegexProblem('[(+*)]+')).toBeUndefined();
    expect(customRegex('abc')).toBe(customRegex('abc'));
  });

  it('refuses what does not compile, what is too long, backreferences and lookaround', () => {
    expect(customRegexProblem('(unclosed')).toMatch(/invalide \(syntaxe RE2\)/);
    expect(customRegexProblem('a'.repeat(600))).toMatch(/trop longue/);
    expect(customRegexProblem('(a)\\1')).toMatch(/^référence arrière/);
    expect(customRegexProblem('(?<n>a)\\k<n>')).toMatch(/^référence arrière/);
    for (const look of ['a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b'])
      expect(customRegexProblem(look)).toMatch(/^assertion avant ou arrière/);
  });

  it('accepts nested quantifiers, which cost linear time with RE2, and matches them at once', () => {
    for (const source of ['^(a|a)*$', '(a+)+$', '(?:\\w*x)*', '((a+)b)+', '(a+){2,}'])
      expect(customRegexProblem(source)).toBeUndefined();
    const hostile = `${'a'.repeat(5000)}!`;
    expect(customRegex('^(a|a)*$').test(hostile)).toBe(false);
    expect(customRegex('(a+)+$').test(`${'a'.repeat(5000)}`)).toBe(true);
    expect(
      matchTcp({ port: 7, matchers: [{ banner: { regex: '^(a|a)*$' } }] }, hostile.slice(-41)).matched,
    ).toBe(false);
  });
});
