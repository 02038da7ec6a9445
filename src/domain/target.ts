import { isIP } from 'node:net';
import { UsageError, type LocalText } from './errors.js';

/** What a target looks like (catalogue key `errlang.target.hint`). */
const HINT: LocalText = {
  key: 'errlang.target.hint',
  fallback: 'écrivez host, host:port ou https://host[:port]/',
};

export interface ParsedTarget {
  /** The target as the user wrote it. */
  input: string;
  host: string;
  /** Explicit port, when the target named one. */
  port?: number;
  scheme?: 'https';
  /** Path and query of a URL target, for the HTTP checks. */
  path?: string;
}

const HOST_RE =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

function parsePort(text: string, input: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new UsageError(
      {
        key: 'errlang.target.bad-port',
        params: { input, port: text },
        fallback: `cible « ${input} » : port invalide « ${text} » (1–65535)`,
      },
      { hint: HINT },
    );
  }
  return port;
}

function checkHost(host: string, input: string): string {
  if (isIP(host) || HOST_RE.test(host)) return host.toLowerCase().replace(/\.$/, '');
  throw new UsageError(
    {
      key: 'errlang.target.bad-host',
      params: { input, host },
      fallback: `cible « ${input} » : nom d'hôte invalide « ${host} »`,
    },
    { hint: HINT },
  );
}

/** Parses `host`, `host:port`, `[v6]:port` or `https://host[:port]/…`. Pure; throws UsageError. */
export function parseTarget(input: string): ParsedTarget {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new UsageError(
        { key: 'errlang.target.bad-url', params: { input }, fallback: `cible « ${input} » : URL invalide` },
        { hint: { key: 'errlang.target.url-hint', fallback: 'exemple : https://www.exemple.fr/' } },
      );
    }
    if (url.protocol !== 'https:') {
      throw new UsageError(
        {
          key: 'errlang.target.https-only',
          params: { input },
          fallback: `cible « ${input} » : seules les URL https:// sont prises en charge pour l’instant`,
        },
        {
          hint: { key: 'errlang.target.https-only-hint', fallback: 'passez host:port pour un autre service' },
        },
      );
    }
    const host = checkHost(url.hostname.replace(/^\[|\]$/g, ''), input);
    return {
      input,
      host,
      port: url.port ? parsePort(url.port, input) : 443,
      scheme: 'https',
      path: `${url.pathname}${url.search}`,
    };
  }
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (v6) {
    const host = v6[1] ?? '';
    if (isIP(host) !== 6)
      throw new UsageError({
        key: 'errlang.target.bad-ipv6',
        params: { input },
        fallback: `cible « ${input} » : adresse IPv6 invalide`,
      });
    return v6[2] === undefined ? { input, host } : { input, host, port: parsePort(v6[2], input) };
  }
  if (isIP(text) === 6) return { input, host: text };
  const colon = text.lastIndexOf(':');
  if (colon > 0) {
    return {
      input,
      host: checkHost(text.slice(0, colon), input),
      port: parsePort(text.slice(colon + 1), input),
    };
  }
  if (text === '')
    throw new UsageError({ key: 'errlang.target.empty', fallback: 'cible vide' }, { hint: HINT });
  return { input, host: checkHost(text, input) };
}
