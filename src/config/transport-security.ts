import { isLoopbackHost, type Issue } from '../domain/index.js';
import { formatPath, type DocumentPath } from './format-path.js';
import type { YamlSource } from './yaml-source.js';

const LOOPBACK = '127.0.0.1, ::1, localhost';

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function urlOf(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined; // reported by the schema
  }
}

/**
 * Secrets only over TLS, checked on the file as written (so that these issues come with the
 * schema's, all at once): plain SMTP (`mail.allowPlaintextLoopback`) only towards the loopback and
 * without a user; GitHub's `apiUrl` in https, or http to the loopback with `allowInsecureLoopback`.
 */
export function transportSecurityIssues(source: YamlSource): Issue[] {
  const issues: Issue[] = [];
  const push = (path: DocumentPath, message: string): void => {
    const line = source.lineOf(path);
    issues.push({ path: formatPath(path), ...(line === undefined ? {} : { line }), message });
  };
  const doc = record(source.value);
  const mail = record(doc?.['mail']);
  if (mail?.['allowPlaintextLoopback'] === true && mail['secure'] !== true) {
    const host = mail['host'];
    if (typeof host === 'string' && !isLoopbackHost(host))
      push(
        ['mail', 'allowPlaintextLoopback'],
        `SMTP en clair seulement vers un relais de la boucle locale (${LOOPBACK}), pas ${host} : retirez cette clé, STARTTLS sera exigé`,
      );
    if (mail['user'] !== undefined)
      push(
        ['mail', 'user'],
        'pas d’authentification en clair : avec allowPlaintextLoopback, ni user ni VIGIE_SMTP_PASSWORD (retirez l’un ou l’autre)',
      );
  }
  const github = record(doc?.['github']);
  const url = urlOf(github?.['apiUrl']);
  if (github && url?.protocol === 'http:') {
    if (github['allowInsecureLoopback'] !== true)
      push(
        ['github', 'apiUrl'],
        'https:// attendu : le jeton VIGIE_GITHUB_TOKEN ne part jamais en clair (http seulement pour un serveur de test sur la boucle locale, avec allowInsecureLoopback: true)',
      );
    else if (!isLoopbackHost(url.hostname))
      push(
        ['github', 'allowInsecureLoopback'],
        `http seulement vers la boucle locale (${LOOPBACK}), pas ${url.hostname} : utilisez https://`,
      );
  }
  return issues;
}
