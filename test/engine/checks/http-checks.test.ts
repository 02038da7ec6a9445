import { describe, expect, it } from 'vitest';
import { httpChecks } from '../../../src/engine/checks/http-checks.js';
import type { CheckContext, CheckVerdict } from '../../../src/engine/index.js';
import type { HttpObservation, HttpResponseFacts, Outcome } from '../../../src/domain/index.js';
import { collectHtmlElements } from '../../../src/probes/http/html-elements.js';

const now = new Date('2026-11-28T12:00:00Z');
const ctx: CheckContext = { now, expiryDays: 30, endpoint: { host: 'www.exemple.fr', port: 443 } };
const URL_HTTPS = 'https://www.exemple.fr/';
const ORIGIN = 'https://vigie-cors-check.invalid';

const CLEAN_HEADERS: [string, string][] = [
  ['content-type', 'text/html; charset=utf-8'],
  ['strict-transport-security', 'max-age=63072000; includeSubDomains'],
  [
    'content-security-policy',
    "default-src 'none'; img-src 'self'; script-src 'self'; frame-ancestors 'none'",
  ],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
  ['server', 'nginx'],
  ['set-cookie', 'PHPSESSID=secret; Path=/; Secure; HttpOnly; SameSite=Lax'],
  ['set-cookie', 'lang=fr; Path=/; Secure; HttpOnly; SameSite=Lax'],
];

const SECURITY_TXT = 'Contact: mailto:securite@exemple.fr\nExpires: 2027-06-30T00:00:00Z\n';

function response(over: Partial<HttpResponseFacts> = {}): HttpResponseFacts {
  return {
    url: URL_HTTPS,
    status: 200,
    headers: CLEAN_HEADERS,
    body: '<!doctype html>',
    bodyTruncated: false,
    ...over,
  };
}

/** Clean headers with some replaced (`null` removes the header). */
function withHeaders(changes: Record<string, string | string[] | null>): [string, string][] {
  const kept = CLEAN_HEADERS.filter(([n]) => !(n in changes));
  const added = Object.entries(changes).flatMap(([n, v]): [string, string][] =>
    v === null ? [] : (Array.isArray(v) ? v : [v]).map((x): [string, string] => [n, x]),
  );
  return [...kept, ...added];
}

const txt = (over: Partial<HttpResponseFacts> = {}): Outcome<HttpResponseFacts> => ({
  status: 'observed',
  value: {
    url: 'https://www.exemple.fr/.well-known/security.txt',
    status: 200,
    headers: [['content-type', 'text/plain; charset=utf-8']],
    body: SECURITY_TXT,
    bodyTruncated: false,
    ...over,
  },
});

const corsResponse = (headers: [string, string][] = []): Outcome<HttpResponseFacts> => ({
  status: 'observed',
  value: { url: URL_HTTPS, status: 200, headers, body: '', bodyTruncated: false },
});

function cleanHttps(over: Partial<HttpObservation> = {}): HttpObservation {
  return {
    scheme: 'https',
    url: URL_HTTPS,
    chain: [response()],
    securityTxt: txt(),
    cors: corsResponse(),
    ...over,
  };
}

const page = (headers: [string, string][]): HttpObservation => cleanHttps({ chain: [response({ headers })] });

function run(id: string, obs: HttpObservation): CheckVerdict {
  const check = httpChecks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check.evaluate(obs, ctx);
}

function findings(v: CheckVerdict): { key?: string; params: Record<string, unknown> }[] {
  if (v.status !== 'fail') throw new Error(`expected fail, got ${JSON.stringify(v)}`);
  return v.findings;
}

const ALL_IDS = [
  'http.no-https-redirect',
  'http.hsts.missing',
  'http.hsts.short-max-age',
  'http.csp.missing',
  'http.csp.unsafe-inline',
  'http.csp.unsafe-eval',
  'http.xcto.missing',
  'http.frame.missing',
  'http.referrer-policy.missing',
  'http.cookie.insecure',
  'http.cookie.no-httponly',
  'http.cookie.no-samesite',
  'http.cors.wildcard-credentials',
  'http.disclosure.server-version',
  'http.disclosure.powered-by',
  'http.securitytxt.missing',
  'http.securitytxt.expired',
  'http.securitytxt.invalid',
];

describe('httpChecks', () => {
  it('has one check per http.* ID of DESIGN.md', () => {
    expect(httpChecks.map((c) => c.id).sort()).toEqual([...ALL_IDS].sort());
  });

  it('stays silent on a clean HTTPS response (no-https-redirect belongs to plain HTTP)', () => {
    const verdicts = Object.fromEntries(httpChecks.map((c) => [c.id, c.evaluate(cleanHttps(), ctx).status]));
    expect(verdicts).toEqual(
      Object.fromEntries(ALL_IDS.map((id) => [id, id === 'http.no-https-redirect' ? 'skipped' : 'pass'])),
    );
  });

  it('on plain HTTP runs only the redirect and disclosure checks', () => {
    const obs: HttpObservation = {
      scheme: 'http',
      url: 'http://www.exemple.fr/',
      chain: [response({ url: 'http://www.exemple.fr/', status: 301, headers: [['location', URL_HTTPS]] })],
    };
    const verdicts = httpChecks.map((c) => [c.id, c.evaluate(obs, ctx)] as const);
    for (const [id, v] of verdicts) {
      if (
        ['http.no-https-redirect', 'http.disclosure.server-version', 'http.disclosure.powered-by'].includes(
          id,
        )
      ) {
        expect(v, id).toEqual({ status: 'pass' });
      } else {
        expect(v, id).toEqual({ status: 'skipped', because: "évalué sur le point d'accès HTTPS" });
      }
    }
  });

  it('never passes without a response to judge', () => {
    const empty = cleanHttps({ chain: [] });
    for (const c of httpChecks) {
      if (
        c.id === 'http.no-https-redirect' ||
        c.id.startsWith('http.securitytxt') ||
        c.id === 'http.cors.wildcard-credentials'
      )
        continue;
      expect(c.evaluate(empty, ctx).status, c.id).toBe('error');
    }
    const failedTxt = cleanHttps({ securityTxt: { status: 'error', reason: 'timeout', detail: 'délai' } });
    for (const id of ['http.securitytxt.missing', 'http.securitytxt.expired', 'http.securitytxt.invalid']) {
      expect(run(id, failedTxt), id).toEqual({ status: 'error', detail: 'timeout: délai' });
    }
    const { cors: _cors, ...noCors } = cleanHttps();
    expect(run('http.cors.wildcard-credentials', noCors).status).toBe('error');
    expect(run('http.no-https-redirect', { scheme: 'http', url: 'http://x/', chain: [] }).status).toBe(
      'error',
    );
  });

  describe('http.no-https-redirect', () => {
    const plain = (r: Partial<HttpResponseFacts>): HttpObservation => ({
      scheme: 'http',
      url: 'http://www.exemple.fr/',
      chain: [response({ url: 'http://www.exemple.fr/', headers: [], ...r })],
    });
    it('fires when content is served over HTTP', () => {
      expect(findings(run('http.no-https-redirect', plain({ status: 200 })))[0]?.params).toEqual({
        url: 'http://www.exemple.fr/',
        status: 200,
        location: '—',
      });
    });
    it('fires when the redirect stays on HTTP (relative Location included)', () => {
      const v = run('http.no-https-redirect', plain({ status: 302, headers: [['location', '/accueil']] }));
      expect(findings(v)[0]?.params).toMatchObject({ status: 302, location: '/accueil' });
    });
    it('passes on a redirect to https://', () => {
      expect(
        run(
          'http.no-https-redirect',
          plain({ status: 308, headers: [['location', 'https://www.exemple.fr/']] }),
        ),
      ).toEqual({
        status: 'pass',
      });
    });
  });

  describe('HSTS', () => {
    it('http.hsts.missing fires when absent or invalid, saying which', () => {
      expect(
        findings(run('http.hsts.missing', page(withHeaders({ 'strict-transport-security': null }))))[0]
          ?.params,
      ).toEqual({
        url: URL_HTTPS,
        header: '—',
        problem: 'en-tête absent',
      });
      for (const bad of ['includeSubDomains', 'max-age=abc', 'max-age=1; max-age=2']) {
        const p = findings(
          run('http.hsts.missing', page(withHeaders({ 'strict-transport-security': bad }))),
        )[0]?.params;
        expect(p?.header).toBe(bad);
        expect(String(p?.problem)).toMatch(/^en-tête invalide/);
      }
    });
    it('http.hsts.short-max-age fires below 180 days, skips when HSTS is not valid', () => {
      const short = page(withHeaders({ 'strict-transport-security': 'max-age=86400' }));
      expect(findings(run('http.hsts.short-max-age', short))[0]?.params).toEqual({
        url: URL_HTTPS,
        maxAge: 86400,
        days: 1,
        minimum: 15552000,
      });
      expect(
        run(
          'http.hsts.short-max-age',
          page(withHeaders({ 'strict-transport-security': 'max-age="15552000"' })),
        ),
      ).toEqual({
        status: 'pass',
      });
      expect(
        run('http.hsts.short-max-age', page(withHeaders({ 'strict-transport-security': null }))).status,
      ).toBe('skipped');
    });
  });

  describe('CSP', () => {
    it('http.csp.missing fires without an enforced policy, and names a Report-Only one', () => {
      expect(
        findings(run('http.csp.missing', page(withHeaders({ 'content-security-policy': null }))))[0]?.params,
      ).toEqual({
        url: URL_HTTPS,
        reportOnly: '—',
      });
      const reportOnly = page(
        withHeaders({
          'content-security-policy': null,
          'content-security-policy-report-only': "default-src 'self'",
        }),
      );
      expect(findings(run('http.csp.missing', reportOnly))[0]?.params.reportOnly).toBe("default-src 'self'");
    });

    const csp = (policy: string | string[]): HttpObservation =>
      page(withHeaders({ 'content-security-policy': policy }));

    it("http.csp.unsafe-inline fires on 'unsafe-inline' in script-src, or in default-src without script-src", () => {
      expect(
        findings(
          run('http.csp.unsafe-inline', csp("default-src 'self'; script-src 'self' 'unsafe-inline'")),
        )[0]?.params,
      ).toEqual({
        url: URL_HTTPS,
        directive: 'script-src',
        sources: "'self' 'unsafe-inline'",
      });
      expect(
        findings(run('http.csp.unsafe-inline', csp("default-src 'self' 'UNSAFE-INLINE'")))[0]?.params
          .directive,
      ).toBe('default-src');
    });
    it("http.csp.unsafe-inline is neutralised by a nonce, a hash or 'strict-dynamic', and by script-src overriding default-src", () => {
      for (const policy of [
        "script-src 'self' 'unsafe-inline' 'nonce-r4nd0m'",
        "script-src 'unsafe-inline' 'sha256-AbC='",
        "script-src 'unsafe-inline' 'strict-dynamic'",
        "default-src 'unsafe-inline'; script-src 'self'",
        "style-src 'unsafe-inline'; default-src 'self'",
      ]) {
        expect(run('http.csp.unsafe-inline', csp(policy)), policy).toEqual({ status: 'pass' });
      }
    });
    it('with several policies, fires only when every policy that restricts scripts allows it', () => {
      expect(run('http.csp.unsafe-inline', csp(["script-src 'unsafe-inline'", "script-src 'self'"]))).toEqual(
        {
          status: 'pass',
        },
      );
      expect(
        run('http.csp.unsafe-inline', csp("script-src 'unsafe-inline', frame-ancestors 'none'")).status,
      ).toBe('fail');
    });
    it("http.csp.unsafe-eval fires on 'unsafe-eval' and is not neutralised by a nonce", () => {
      expect(
        findings(run('http.csp.unsafe-eval', csp("script-src 'nonce-abc' 'unsafe-eval'")))[0]?.params,
      ).toEqual({
        url: URL_HTTPS,
        directive: 'script-src',
        sources: "'nonce-abc' 'unsafe-eval'",
      });
      expect(run('http.csp.unsafe-eval', csp("script-src 'wasm-unsafe-eval'"))).toEqual({ status: 'pass' });
    });
  });

  it('http.xcto.missing fires when absent or not exactly nosniff', () => {
    expect(
      findings(run('http.xcto.missing', page(withHeaders({ 'x-content-type-options': null }))))[0]?.params,
    ).toEqual({
      url: URL_HTTPS,
      header: '—',
    });
    expect(
      findings(run('http.xcto.missing', page(withHeaders({ 'x-content-type-options': 'sniff' }))))[0]?.params
        .header,
    ).toBe('sniff');
    expect(run('http.xcto.missing', page(withHeaders({ 'x-content-type-options': ' NoSniff ' })))).toEqual({
      status: 'pass',
    });
  });

  describe('policies given in <meta>', () => {
    /** An HTML page whose <head> holds the given elements, as the probe reads it. */
    const withHead = (headers: [string, string][], head: string): HttpObservation => {
      const body = `<!doctype html><html><head>${head}</head><body></body></html>`;
      return cleanHttps({ chain: [response({ headers, body, html: collectHtmlElements(body) })] });
    };
    const noCsp = withHeaders({ 'content-security-policy': null });

    it('http.csp.missing passes on a CSP given in <meta http-equiv> (any case), not on one of disallowed directives only', () => {
      expect(
        run(
          'http.csp.missing',
          withHead(noCsp, `<meta http-equiv="content-SECURITY-policy" content="default-src 'self'">`),
        ).status,
      ).toBe('pass');
      expect(
        run(
          'http.csp.missing',
          withHead(
            noCsp,
            `<meta http-equiv="Content-Security-Policy" content="frame-ancestors 'none'; sandbox">`,
          ),
        ).status,
      ).toBe('fail');
      // Not read from a page that is not served as HTML.
      expect(
        run(
          'http.csp.missing',
          withHead(
            [['content-type', 'text/plain'], ...noCsp.filter(([n]) => n !== 'content-type')],
            `<meta http-equiv="Content-Security-Policy" content="default-src 'self'">`,
          ),
        ).status,
      ).toBe('fail');
    });

    it('http.csp.unsafe-inline weighs a <meta> policy with the header ones', () => {
      const meta = `<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-inline'">`;
      expect(findings(run('http.csp.unsafe-inline', withHead(noCsp, meta)))[0]?.params).toMatchObject({
        directive: 'script-src',
        sources: "'self' 'unsafe-inline'",
      });
      // The header forbids inline scripts: a browser enforces both, so nothing inline runs.
      expect(run('http.csp.unsafe-inline', withHead(CLEAN_HEADERS, meta)).status).toBe('pass');
    });

    it('http.frame.missing is not satisfied by frame-ancestors nor X-Frame-Options in <meta>', () => {
      const v = run(
        'http.frame.missing',
        withHead(
          withHeaders({ 'content-security-policy': "default-src 'self'" }),
          `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; frame-ancestors 'none'">` +
            '<meta http-equiv="X-Frame-Options" content="DENY">',
        ),
      );
      expect(findings(v)[0]?.params).toMatchObject({ xFrameOptions: '—', frameAncestors: '—' });
    });

    it('http.referrer-policy.missing reads <meta name="referrer">, which comes after the header', () => {
      const noHeader = withHeaders({ 'referrer-policy': null });
      expect(
        run(
          'http.referrer-policy.missing',
          withHead(noHeader, '<meta name="Referrer" content="no-referrer">'),
        ).status,
      ).toBe('pass');
      expect(
        findings(
          run(
            'http.referrer-policy.missing',
            withHead(
              withHeaders({ 'referrer-policy': 'no-referrer' }),
              '<meta name="referrer" content="unsafe-url">',
            ),
          ),
        )[0]?.params,
      ).toMatchObject({
        header: 'no-referrer, <meta name="referrer" content="unsafe-url">',
        effective: 'unsafe-url',
      });
    });
  });

  describe('http.frame.missing', () => {
    const noAncestors = "default-src 'none'";
    it('fires without X-Frame-Options DENY/SAMEORIGIN nor frame-ancestors', () => {
      expect(
        findings(run('http.frame.missing', page(withHeaders({ 'content-security-policy': noAncestors }))))[0]
          ?.params,
      ).toEqual({
        url: URL_HTTPS,
        xFrameOptions: '—',
        frameAncestors: '—',
      });
      const allowFrom = page(
        withHeaders({ 'content-security-policy': noAncestors, 'x-frame-options': 'ALLOW-FROM https://a.fr' }),
      );
      expect(findings(run('http.frame.missing', allowFrom))[0]?.params.xFrameOptions).toBe(
        'ALLOW-FROM https://a.fr',
      );
      const wildcard = page(withHeaders({ 'content-security-policy': 'frame-ancestors *' }));
      expect(findings(run('http.frame.missing', wildcard))[0]?.params.frameAncestors).toBe('*');
    });
    it('passes with X-Frame-Options or with frame-ancestors', () => {
      for (const xfo of ['DENY', 'sameorigin']) {
        expect(
          run(
            'http.frame.missing',
            page(withHeaders({ 'content-security-policy': noAncestors, 'x-frame-options': xfo })),
          ),
        ).toEqual({
          status: 'pass',
        });
      }
      expect(
        run('http.frame.missing', page(withHeaders({ 'content-security-policy': "frame-ancestors 'self'" }))),
      ).toEqual({
        status: 'pass',
      });
    });
  });

  it('http.referrer-policy.missing fires when absent or unsafe, saying which policy applies', () => {
    expect(
      findings(run('http.referrer-policy.missing', page(withHeaders({ 'referrer-policy': null }))))[0]
        ?.params,
    ).toEqual({
      url: URL_HTTPS,
      header: '—',
      effective: '—',
    });
    expect(
      findings(run('http.referrer-policy.missing', page(withHeaders({ 'referrer-policy': 'unsafe-url' }))))[0]
        ?.params,
    ).toEqual({
      url: URL_HTTPS,
      header: 'unsafe-url',
      effective: 'unsafe-url',
    });
    // The last recognised token wins, as browsers do.
    expect(
      run(
        'http.referrer-policy.missing',
        page(withHeaders({ 'referrer-policy': 'unsafe-url, no-referrer, bogus' })),
      ),
    ).toEqual({
      status: 'pass',
    });
    expect(
      findings(
        run(
          'http.referrer-policy.missing',
          page(withHeaders({ 'referrer-policy': 'no-referrer, no-referrer-when-downgrade' })),
        ),
      )[0]?.params.effective,
    ).toBe('no-referrer-when-downgrade');
  });

  describe('cookies', () => {
    const cookies = page(
      withHeaders({
        'set-cookie': [
          'PHPSESSID=s3cr3t; Path=/; HttpOnly; SameSite=Lax',
          'auth_token=t0k3n; Secure; SameSite=Strict',
          'lang=fr; Secure; HttpOnly',
          'theme=dark; Secure; HttpOnly; SameSite=Bogus',
        ],
      }),
    );
    it('http.cookie.insecure: one finding per cookie without Secure, keyed by name, never with its value', () => {
      const f = findings(run('http.cookie.insecure', cookies));
      expect(f).toEqual([
        {
          key: 'PHPSESSID',
          params: { name: 'PHPSESSID', url: URL_HTTPS, attributes: 'Path=/; HttpOnly; SameSite=Lax' },
        },
      ]);
      expect(JSON.stringify(f)).not.toContain('s3cr3t');
    });
    it('http.cookie.no-httponly: only session-like cookies', () => {
      expect(findings(run('http.cookie.no-httponly', cookies)).map((f) => f.key)).toEqual(['auth_token']);
    });
    it('http.cookie.no-samesite: absent or unrecognised SameSite', () => {
      const f = findings(run('http.cookie.no-samesite', cookies));
      expect(f.map((x) => [x.key, x.params.sameSite])).toEqual([
        ['lang', '—'],
        ['theme', 'Bogus'],
      ]);
    });
    it('reads cookies along the chain, the last setting of a name winning', () => {
      const obs = cleanHttps({
        chain: [
          response({
            status: 302,
            headers: [
              ['location', '/a'],
              ['set-cookie', 'sid=1; Path=/'],
            ],
          }),
          response({ url: 'https://www.exemple.fr/a' }),
        ],
      });
      expect(findings(run('http.cookie.insecure', obs)).map((f) => f.key)).toEqual(['sid']);
      const fixed = cleanHttps({
        chain: [
          response({
            status: 302,
            headers: [
              ['location', '/a'],
              ['set-cookie', 'sid=1'],
            ],
          }),
          response({
            url: 'https://www.exemple.fr/a',
            headers: [['set-cookie', 'sid=2; Secure; HttpOnly; SameSite=Lax']],
          }),
        ],
      });
      expect(run('http.cookie.insecure', fixed)).toEqual({ status: 'pass' });
    });
  });

  describe('http.cors.wildcard-credentials', () => {
    const cors = (headers: [string, string][]) => cleanHttps({ cors: corsResponse(headers) });
    it('fires on a reflected origin or * with credentials', () => {
      for (const allowOrigin of [ORIGIN, '*']) {
        const v = run(
          'http.cors.wildcard-credentials',
          cors([
            ['access-control-allow-origin', allowOrigin],
            ['access-control-allow-credentials', 'true'],
          ]),
        );
        expect(findings(v)[0]?.params).toEqual({
          url: URL_HTTPS,
          origin: ORIGIN,
          allowOrigin,
          allowCredentials: 'true',
        });
      }
    });
    it('passes on * without credentials, and on a fixed origin with credentials', () => {
      expect(run('http.cors.wildcard-credentials', cors([['access-control-allow-origin', '*']]))).toEqual({
        status: 'pass',
      });
      expect(
        run(
          'http.cors.wildcard-credentials',
          cors([
            ['access-control-allow-origin', 'https://app.exemple.fr'],
            ['access-control-allow-credentials', 'true'],
          ]),
        ),
      ).toEqual({ status: 'pass' });
    });
  });

  describe('disclosure', () => {
    it('http.disclosure.server-version fires on a version number, not on a bare product', () => {
      for (const server of [
        'Apache/2.4.41 (Ubuntu)',
        'nginx/1.18.0',
        'Microsoft-IIS/10.0',
        'Jetty(9.4.44.v20210927)',
        'Apache/2',
      ]) {
        const v = run('http.disclosure.server-version', page(withHeaders({ server })));
        expect(findings(v)[0]?.params, server).toEqual({ url: URL_HTTPS, server });
      }
      for (const server of [
        'nginx',
        'Apache',
        'cloudflare',
        'AmazonS3',
        'ECS (dcb/7F83)',
        'Microsoft-HTTPAPI',
      ]) {
        expect(run('http.disclosure.server-version', page(withHeaders({ server }))), server).toEqual({
          status: 'pass',
        });
      }
    });
    it('http.disclosure.powered-by fires on any X-Powered-By, on HTTP too, on a redirect too', () => {
      const obs: HttpObservation = {
        scheme: 'http',
        url: 'http://www.exemple.fr/',
        chain: [
          response({
            url: 'http://www.exemple.fr/',
            status: 301,
            headers: [
              ['location', URL_HTTPS],
              ['x-powered-by', 'Express'],
            ],
          }),
        ],
      };
      expect(findings(run('http.disclosure.powered-by', obs))[0]?.params).toEqual({
        url: 'http://www.exemple.fr/',
        poweredBy: 'Express',
      });
      expect(run('http.disclosure.powered-by', cleanHttps())).toEqual({ status: 'pass' });
    });
  });

  describe('security.txt', () => {
    it('http.securitytxt.missing fires on a non-200, and the others then skip', () => {
      const obs = cleanHttps({
        securityTxt: txt({ status: 404, body: 'introuvable', headers: [['content-type', 'text/html']] }),
      });
      expect(findings(run('http.securitytxt.missing', obs))[0]?.params).toEqual({
        url: 'https://www.exemple.fr/.well-known/security.txt',
        status: 404,
      });
      expect(run('http.securitytxt.expired', obs).status).toBe('skipped');
      expect(run('http.securitytxt.invalid', obs).status).toBe('skipped');
    });
    it('http.securitytxt.expired fires when Expires is past', () => {
      const obs = cleanHttps({
        securityTxt: txt({ body: 'Contact: mailto:a@b.fr\nExpires: 2026-11-01T00:00:00Z\n' }),
      });
      expect(findings(run('http.securitytxt.expired', obs))[0]?.params).toEqual({
        url: 'https://www.exemple.fr/.well-known/security.txt',
        expires: '2026-11-01T00:00:00.000Z',
        days: 27,
      });
      expect(run('http.securitytxt.invalid', obs)).toEqual({ status: 'pass' });
    });
    it('http.securitytxt.invalid fires on parser problems, on a wrong type, on non-UTF-8 text', () => {
      const html = cleanHttps({
        securityTxt: txt({
          headers: [['content-type', 'text/html; charset=utf-8']],
          body: '<html>accueil</html>',
        }),
      });
      expect(run('http.securitytxt.missing', html)).toEqual({ status: 'pass' });
      const problems = String(findings(run('http.securitytxt.invalid', html))[0]?.params.problems);
      expect(problems).toContain('servi en text/html au lieu de text/plain');
      expect(problems).toContain('Contact manquant');
      const latin1 = cleanHttps({
        securityTxt: txt({ headers: [['content-type', 'text/plain; charset=iso-8859-1']] }),
      });
      expect(String(findings(run('http.securitytxt.invalid', latin1))[0]?.params.problems)).toBe(
        'jeu de caractères iso-8859-1 au lieu de utf-8',
      );
      const broken = cleanHttps({ securityTxt: txt({ body: `${SECURITY_TXT}# caf\uFFFD\n` }) });
      expect(String(findings(run('http.securitytxt.invalid', broken))[0]?.params.problems)).toBe(
        'contenu qui n’est pas de l’UTF-8 valide',
      );
    });
  });
});
