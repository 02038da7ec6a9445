import { isLoopbackHost, textIssue, type Issue } from '../domain/index.js';
import { msg, type CatalogueText } from '../i18n/index.js';
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
  const push = (path: DocumentPath, text: CatalogueText): void => {
    issues.push(textIssue(formatPath(path), text, source.lineOf(path)));
  };
  const doc = record(source.value);
  const mail = record(doc?.['mail']);
  if (mail?.['allowPlaintextLoopback'] === true && mail['secure'] !== true) {
    const host = mail['host'];
    if (typeof host === 'string' && !isLoopbackHost(host))
      push(
        ['mail', 'allowPlaintextLoopback'],
        msg('errlang.config.smtp-loopback', { loopback: LOOPBACK, host }),
      );
    if (mail['user'] !== undefined) push(['mail', 'user'], msg('errlang.config.smtp-no-auth'));
  }
  const github = record(doc?.['github']);
  const url = urlOf(github?.['apiUrl']);
  if (github && url?.protocol === 'http:') {
    if (github['allowInsecureLoopback'] !== true)
      push(['github', 'apiUrl'], msg('errlang.config.github-https'));
    else if (!isLoopbackHost(url.hostname))
      push(
        ['github', 'allowInsecureLoopback'],
        msg('errlang.config.github-loopback', { loopback: LOOPBACK, host: url.hostname }),
      );
  }
  return issues;
}
