import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const PAGE =
  '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Démo vigie</title><h1>Métropole Démo</h1></html>';
const DAY_MS = 86_400_000;
/** The careless site's page: a library from a CDN without Subresource Integrity (never fetched by vigie). */
const CARELESS_PAGE =
  '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Démo vigie</title>' +
  '<script src="https://cdn.example.net/jquery/3.7.1/jquery.min.js"></script><h1>Métropole Démo</h1></html>';

/** A security.txt valid for a year (RFC 9116). */
function securityTxt(): string {
  const expires = new Date(Date.now() + 365 * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z');
  return `Contact: mailto:securite@demo.vigie.test\nExpires: ${expires}\nPreferred-Languages: fr, en\n`;
}

/** What a well-configured site answers: every header the HTTP checks look for, and a security.txt. */
export const wellConfiguredSite: Handler = (req, res) => {
  if (req.url === '/.well-known/security.txt') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(securityTxt());
    return;
  }
  res
    .writeHead(req.url === '/' ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
      'strict-transport-security': 'max-age=63072000; includeSubDomains',
      'content-security-policy':
        "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'set-cookie': 'session=demo; Path=/; Secure; HttpOnly; SameSite=Lax',
      server: 'nginx',
    })
    .end(req.url === '/' ? PAGE : 'introuvable');
};

/**
 * A site as too many are: no security headers, versions disclosed, cookies without flags, CORS
 * open with credentials, a CDN script without integrity, a Cross-Origin-Opener-Policy written in
 * the wrong case (browsers ignore it), the Apache status page and a Git repository served.
 */
export const carelessSite: Handler = (req, res) => {
  const common = { server: 'Apache/2.4.41 (Ubuntu)', 'x-powered-by': 'PHP/7.4.3' };
  if (req.url === '/server-status') {
    res
      .writeHead(200, { ...common, 'content-type': 'text/html' })
      .end('<html><title>Apache Status</title><h1>Apache Server Status for demo</h1></html>');
    return;
  }
  if (req.url === '/.git/HEAD') {
    res.writeHead(200, { ...common, 'content-type': 'text/plain' }).end('ref: refs/heads/main\n');
    return;
  }
  if (req.url !== '/') {
    res.writeHead(404, common).end('Not Found');
    return;
  }
  const origin = req.headers.origin;
  res
    .writeHead(200, {
      ...common,
      'content-type': 'text/html; charset=utf-8',
      'set-cookie': ['PHPSESSID=0123456789abcdef; path=/', 'lang=fr; path=/'],
      'content-security-policy-report-only': "default-src 'self'",
      'cross-origin-opener-policy': 'Same-Origin',
      ...(origin
        ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
        : {}),
    })
    .end(CARELESS_PAGE);
};

/** The plain-HTTP side of the careless site: it serves the page instead of redirecting to HTTPS. */
export const plainHttpSite: Handler = (_req, res) => {
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8', server: 'Apache/2.4.41 (Ubuntu)' })
    .end(PAGE);
};
