import {
  allowsInlineScript,
  CORS_TEST_ORIGIN,
  effectiveReferrerPolicy,
  hasKeyword,
  parseContentType,
  parseCsp,
  parseHsts,
  parseSetCookie,
  redirectTarget,
  scriptSources,
  UNSAFE_REFERRER_POLICIES,
  type CspPolicy,
  type SetCookie,
} from '../../domain/http-headers.js';
import {
  DIRECTIVES_DISALLOWED_IN_META,
  headerValue,
  headerValues,
  metaPolicies,
  type HttpObservation,
  type HttpResponseFacts,
} from '../../domain/index.js';
import { parseSecurityTxt } from '../../domain/security-txt.js';
import { fail, pass, type Check, type CheckContext, type CheckVerdict } from '../check.js';

/** RFC 6797 leaves max-age to the site; 180 days is the floor of ANSSI, Mozilla and the Observatory. */
export const HSTS_MIN_MAX_AGE = 15_552_000;
const DAY_S = 86_400;
const NONE = '—';

/** Cookie names that usually carry a session or an authentication secret. */
export const SESSION_COOKIE = /sess|sid|auth|token|jsession|phpsess|asp\.net|connect\.sid|remember/i;

const ON_HTTPS = "évalué sur le point d'accès HTTPS";
const ON_HTTP = "évalué sur le point d'accès HTTP (port 80)";

const error = (detail: string): CheckVerdict => ({ status: 'error', detail });
const skipped = (because: string): CheckVerdict => ({ status: 'skipped', because });

/** A check on the page of an HTTPS endpoint: the last response of the chain. */
function pageCheck(
  id: string,
  evaluate: (page: HttpResponseFacts, obs: HttpObservation, ctx: CheckContext) => CheckVerdict,
): Check<HttpObservation> {
  return {
    id,
    evaluate(obs, ctx) {
      if (obs.scheme !== 'https') return skipped(ON_HTTPS);
      const page = obs.chain[obs.chain.length - 1];
      if (!page) return error('aucune réponse HTTP observée');
      return evaluate(page, obs, ctx);
    },
  };
}

/** The CSP policies of a response's headers (Report-Only ones enforce nothing). */
const headerCsp = (r: HttpResponseFacts): CspPolicy[] =>
  parseCsp(headerValues(r, 'content-security-policy')).filter((p) => p.directives.size > 0);

/** The policies of `<meta http-equiv="Content-Security-Policy">`, less what browsers ignore there. */
function metaCsp(r: HttpResponseFacts): CspPolicy[] {
  const policies = parseCsp(metaPolicies(r).csp);
  for (const p of policies) for (const d of DIRECTIVES_DISALLOWED_IN_META) p.directives.delete(d);
  return policies.filter((p) => p.directives.size > 0);
}

/** Every policy a browser enforces on the page: the headers' and the `<meta>` ones. */
const enforcedCsp = (r: HttpResponseFacts): CspPolicy[] => [...headerCsp(r), ...metaCsp(r)];

const noHttpsRedirect: Check<HttpObservation> = {
  id: 'http.no-https-redirect',
  evaluate(obs) {
    if (obs.scheme !== 'http') return skipped(ON_HTTP);
    const first = obs.chain[0];
    if (!first) return error('aucune réponse HTTP observée');
    const target = redirectTarget(first);
    if (target?.protocol === 'https:') return pass();
    return fail({
      url: first.url,
      status: first.status,
      location: headerValue(first, 'location') ?? NONE,
    });
  },
};

const hstsMissing = pageCheck('http.hsts.missing', (page) => {
  const hsts = parseHsts(headerValues(page, 'strict-transport-security'));
  if (!hsts) return fail({ url: page.url, header: NONE, problem: 'en-tête absent' });
  if (!hsts.valid)
    return fail({ url: page.url, header: hsts.value, problem: `en-tête invalide : ${hsts.problem}` });
  return pass();
});

const hstsShortMaxAge = pageCheck('http.hsts.short-max-age', (page) => {
  const hsts = parseHsts(headerValues(page, 'strict-transport-security'));
  // Missing or invalid HSTS is http.hsts.missing's finding; there is no max-age to judge here.
  if (!hsts?.valid) return skipped('pas d’en-tête Strict-Transport-Security valide');
  if (hsts.maxAge >= HSTS_MIN_MAX_AGE) return pass();
  return fail({
    url: page.url,
    maxAge: hsts.maxAge,
    days: Math.floor(hsts.maxAge / DAY_S),
    minimum: HSTS_MIN_MAX_AGE,
  });
});

const cspMissing = pageCheck('http.csp.missing', (page) => {
  if (enforcedCsp(page).length > 0) return pass();
  return fail({
    url: page.url,
    reportOnly: headerValue(page, 'content-security-policy-report-only') ?? NONE,
  });
});

/**
 * A script keyword in effect: browsers enforce every policy, so a script runs only if each policy
 * that restricts scripts allows it. Reports the first policy that allows it.
 */
function scriptKeywordCheck(
  id: string,
  allows: (sources: readonly string[]) => boolean,
): Check<HttpObservation> {
  return pageCheck(id, (page) => {
    const lists = enforcedCsp(page)
      .map(scriptSources)
      .filter((l) => l !== undefined);
    if (lists.length === 0 || !lists.every((l) => allows(l.sources))) return pass();
    const [first] = lists;
    return first
      ? fail({ url: page.url, directive: first.directive, sources: first.sources.join(' ') })
      : pass();
  });
}

const cspUnsafeInline = scriptKeywordCheck('http.csp.unsafe-inline', allowsInlineScript);
const cspUnsafeEval = scriptKeywordCheck('http.csp.unsafe-eval', (s) => hasKeyword(s, "'unsafe-eval'"));

const xctoMissing = pageCheck('http.xcto.missing', (page) => {
  const value = headerValue(page, 'x-content-type-options');
  if (value?.trim().toLowerCase() === 'nosniff') return pass();
  return fail({ url: page.url, header: value ?? NONE });
});

const BROAD_ANCESTORS = new Set(['*', 'http:', 'https:']);

const frameMissing = pageCheck('http.frame.missing', (page) => {
  const xfo = headerValues(page, 'x-frame-options');
  const xfoTokens = xfo.flatMap((v) => v.split(',')).map((t) => t.trim().toLowerCase());
  const xfoProtects =
    xfoTokens.length > 0 &&
    xfoTokens.every((t) => t === xfoTokens[0] && (t === 'deny' || t === 'sameorigin'));
  // frame-ancestors counts only in a header: browsers ignore it in <meta>.
  const ancestors = headerCsp(page)
    .map((p) => p.directives.get('frame-ancestors'))
    .filter((a) => a !== undefined);
  const cspProtects = ancestors.some((a) => !a.some((s) => BROAD_ANCESTORS.has(s.toLowerCase())));
  if (xfoProtects || cspProtects) return pass();
  return fail({
    url: page.url,
    xFrameOptions: xfo.length ? xfo.join(', ') : NONE,
    frameAncestors: ancestors.length ? ancestors.map((a) => a.join(' ') || "'none'").join(', ') : NONE,
  });
});

const referrerPolicyMissing = pageCheck('http.referrer-policy.missing', (page) => {
  const values = headerValues(page, 'referrer-policy');
  // <meta name="referrer"> comes after the header: its policy, when recognised, is the one applied.
  const meta = metaPolicies(page).referrer;
  const effective = effectiveReferrerPolicy([...values, ...meta]);
  if (effective && !UNSAFE_REFERRER_POLICIES.includes(effective)) return pass();
  const observed = [...values, ...meta.map((m) => `<meta name="referrer" content="${m}">`)];
  return fail({
    url: page.url,
    header: observed.length ? observed.join(', ') : NONE,
    effective: effective ?? NONE,
  });
});

/** Cookies set over HTTPS along the chain, by name; a cookie set twice is judged on its last setting. */
function httpsCookies(obs: HttpObservation): { cookie: SetCookie; url: string }[] {
  const byName = new Map<string, { cookie: SetCookie; url: string }>();
  for (const r of obs.chain) {
    if (!r.url.startsWith('https:')) continue;
    for (const field of headerValues(r, 'set-cookie')) {
      const cookie = parseSetCookie(field);
      byName.set(cookie.name, { cookie, url: r.url });
    }
  }
  return [...byName.values()];
}

/** One finding per flawed cookie (key = its name); the cookie's value never goes into the evidence. */
function cookieCheck(
  id: string,
  flawed: (c: SetCookie) => boolean,
  withSameSite = false,
): Check<HttpObservation> {
  return pageCheck(id, (_page, obs) => {
    const findings = httpsCookies(obs)
      .filter(({ cookie }) => flawed(cookie))
      .map(({ cookie, url }) => ({
        key: cookie.name,
        params: {
          name: cookie.name,
          url,
          attributes: cookie.attributesText || NONE,
          ...(withSameSite ? { sameSite: cookie.sameSite ?? NONE } : {}),
        },
      }));
    return findings.length ? { status: 'fail', findings } : pass();
  });
}

const SAMESITE_VALUES = new Set(['strict', 'lax', 'none']);

const cookieInsecure = cookieCheck('http.cookie.insecure', (c) => !c.secure);
const cookieNoHttpOnly = cookieCheck(
  'http.cookie.no-httponly',
  (c) => SESSION_COOKIE.test(c.name) && !c.httpOnly,
);
const cookieNoSameSite = cookieCheck(
  'http.cookie.no-samesite',
  (c) => c.sameSite === undefined || !SAMESITE_VALUES.has(c.sameSite.toLowerCase()),
  true,
);

const corsWildcardCredentials: Check<HttpObservation> = {
  id: 'http.cors.wildcard-credentials',
  evaluate(obs) {
    if (obs.scheme !== 'https') return skipped(ON_HTTPS);
    const cors = obs.cors;
    if (!cors) return error('requête CORS non effectuée');
    if (cors.status === 'error') return error(`${cors.reason}: ${cors.detail}`);
    if (cors.status === 'skipped') return skipped(cors.because);
    const allowOrigin = headerValue(cors.value, 'access-control-allow-origin')?.trim();
    const allowCredentials = headerValue(cors.value, 'access-control-allow-credentials')?.trim();
    const open = allowOrigin === '*' || allowOrigin === CORS_TEST_ORIGIN;
    if (!open || allowCredentials?.toLowerCase() !== 'true') return pass();
    return fail({ url: cors.value.url, origin: CORS_TEST_ORIGIN, allowOrigin, allowCredentials });
  },
};

/** `Apache/2.4.41`, `nginx/1.18.0`, `Microsoft-IIS/10.0`, `PHP 8.1.2`: a product followed by a version. */
const VERSION = /[A-Za-z][\w.+-]*(?:\/v?\d+(?:\.\d+)*(?=$|[\s;(),])|[\s(]v?\d+\.\d+(?:\.\d+)*)/;

/** A header found on any response of the chain (redirects disclose as much as pages). */
function disclosureCheck(
  id: string,
  header: string,
  discloses: (value: string) => boolean,
  param: string,
): Check<HttpObservation> {
  return {
    id,
    evaluate(obs) {
      if (obs.chain.length === 0) return error('aucune réponse HTTP observée');
      for (const r of obs.chain) {
        const value = headerValue(r, header);
        if (value !== undefined && discloses(value)) return fail({ url: r.url, [param]: value });
      }
      return pass();
    },
  };
}

const serverVersion = disclosureCheck(
  'http.disclosure.server-version',
  'server',
  (v) => VERSION.test(v),
  'server',
);
const poweredBy = disclosureCheck(
  'http.disclosure.powered-by',
  'x-powered-by',
  (v) => v.trim() !== '',
  'poweredBy',
);

/** The security.txt response, or the verdict when there is none to judge. */
function securityTxtCheck(
  id: string,
  evaluate: (r: HttpResponseFacts, ctx: CheckContext) => CheckVerdict,
): Check<HttpObservation> {
  return {
    id,
    evaluate(obs, ctx) {
      if (obs.scheme !== 'https') return skipped(ON_HTTPS);
      const txt = obs.securityTxt;
      if (!txt) return error('security.txt non demandé');
      if (txt.status === 'error') return error(`${txt.reason}: ${txt.detail}`);
      if (txt.status === 'skipped') return skipped(txt.because);
      return evaluate(txt.value, ctx);
    },
  };
}

const NOT_SERVED = 'aucun fichier security.txt servi';

const securityTxtMissing = securityTxtCheck('http.securitytxt.missing', (r) =>
  r.status === 200 ? pass() : fail({ url: r.url, status: r.status }),
);

const securityTxtExpired = securityTxtCheck('http.securitytxt.expired', (r, ctx) => {
  if (r.status !== 200) return skipped(NOT_SERVED);
  const parsed = parseSecurityTxt(r.body, { now: ctx.now });
  if (!parsed.expires) return skipped('pas de champ Expires valide (voir http.securitytxt.invalid)');
  if (!parsed.expired) return pass();
  return fail({
    url: r.url,
    expires: parsed.expires.toISOString(),
    days: Math.floor((ctx.now.getTime() - parsed.expires.getTime()) / (DAY_S * 1000)),
  });
});

const securityTxtInvalid = securityTxtCheck('http.securitytxt.invalid', (r, ctx) => {
  if (r.status !== 200) return skipped(NOT_SERVED);
  const problems: string[] = [];
  const type = parseContentType(headerValue(r, 'content-type'));
  if (!type) problems.push('Content-Type absent (attendu text/plain; charset=utf-8)');
  else if (type.type !== 'text/plain') problems.push(`servi en ${type.type} au lieu de text/plain`);
  if (type?.charset !== undefined && type.charset !== 'utf-8' && type.charset !== 'utf8') {
    problems.push(`jeu de caractères ${type.charset} au lieu de utf-8`);
  }
  if (r.body.includes('\uFFFD')) problems.push('contenu qui n’est pas de l’UTF-8 valide');
  if (r.bodyTruncated) problems.push('fichier tronqué à la limite de lecture (32 Kio)');
  problems.push(...parseSecurityTxt(r.body, { now: ctx.now }).problems);
  return problems.length ? fail({ url: r.url, problems: problems.join(' ; ') }) : pass();
});

export const httpChecks: readonly Check<HttpObservation>[] = [
  noHttpsRedirect,
  hstsMissing,
  hstsShortMaxAge,
  cspMissing,
  cspUnsafeInline,
  cspUnsafeEval,
  xctoMissing,
  frameMissing,
  referrerPolicyMissing,
  cookieInsecure,
  cookieNoHttpOnly,
  cookieNoSameSite,
  corsWildcardCredentials,
  serverVersion,
  poweredBy,
  securityTxtMissing,
  securityTxtExpired,
  securityTxtInvalid,
];
