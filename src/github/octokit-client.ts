import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { GithubError, isLoopbackHost } from '../domain/index.js';
import type { GithubClient, GithubIssue, GithubRepository } from './github-client.js';
import { isWithinApi } from './api-scope.js';
import { scrubSecret } from './scrub-secret.js';
import { writePacer } from './write-pacer.js';

const VigieOctokit = Octokit.plugin(throttling, retry);

export interface GithubClientOptions {
  /** `owner/name`. */
  repository: string;
  /** REST API root: `https://api.github.com`, or `https://ghes.example/api/v3`. */
  apiUrl: string;
  /** From VIGIE_GITHUB_TOKEN only; scrubbed from every message this client produces. */
  token: string;
  /** Accept `http://` for a loopback test server (only there); otherwise `apiUrl` must be https. */
  allowInsecureLoopback?: boolean;
  /** Each HTTP attempt is aborted after this long (default 15 s). */
  timeoutMs?: number;
  /** Retries of one call after a rate limit or a server error (default 2). */
  maxRetries?: number;
  /** A rate limit asking to wait longer than this is not waited out: the call fails (default 60 s). */
  maxWaitSeconds?: number;
  /** Base delay of the retries after a server error: 1, 4, 9 … times this (default 1000 ms). */
  retryBaseMs?: number;
  /** Spacing of writes; default: the throttling plugin's (1 s, 3 s for those that notify). */
  writeSpacingMs?: number;
  /** Issues per page when listing (default 100). */
  perPage?: number;
  /** Where warnings go (already scrubbed); default: nowhere. */
  warn?: (message: string) => void;
}

const LABEL_COLOURS: Record<string, string> = {
  critical: 'b60205',
  high: 'd93f0b',
  medium: 'fbca04',
  low: '0e8a16',
  info: 'c5def5',
};

function labelColour(name: string): string {
  const severity = /:severity:(\w+)$/.exec(name)?.[1];
  return (severity && LABEL_COLOURS[severity]) || '1d76db';
}

interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: (string | { name?: string })[];
  html_url?: string;
  pull_request?: unknown;
}

function issueOf(raw: RawIssue): GithubIssue {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    state: raw.state === 'closed' ? 'closed' : 'open',
    labels: raw.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    ...(raw.html_url ? { htmlUrl: raw.html_url } : {}),
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The token only travels over TLS: `apiUrl` must be https, or http to the loopback when
 * `allowInsecureLoopback` says so. Checked before any request, so a refused URL never sees the token.
 */
function checkApiUrl(apiUrl: string, allowInsecureLoopback: boolean): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new GithubError(`URL de l’API GitHub invalide : ${apiUrl}`, undefined, {
      hint: 'github.apiUrl attend une URL https:// (par défaut https://api.github.com)',
    });
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowInsecureLoopback && isLoopbackHost(url.hostname)) return;
  throw new GithubError(
    `API GitHub en ${url.protocol.replace(':', '')} refusée (${url.origin}) : le jeton ne part que sur https`,
    undefined,
    {
      hint: 'mettez une URL https:// dans github.apiUrl (http seulement vers la boucle locale avec github.allowInsecureLoopback: true)',
    },
  );
}

/** The GitHub adapter: Octokit with the throttling and retry plugins, behind `GithubClient`. */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  checkApiUrl(options.apiUrl, options.allowInsecureLoopback ?? false);
  const [owner = '', repo = ''] = options.repository.split('/');
  const maxRetries = options.maxRetries ?? 2;
  const maxWait = options.maxWaitSeconds ?? 60;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const scrub = (text: string) => scrubSecret(text, options.token);
  const warn = (message: unknown) => options.warn?.(scrub(String(message)));
  const withinBudget = (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => {
    const ok = retryCount < maxRetries && retryAfter <= maxWait;
    warn(
      ok
        ? `GitHub : limite de débit atteinte, nouvel essai dans ${retryAfter} s`
        : `GitHub : limite de débit atteinte (attente demandée ${retryAfter} s) : abandon`,
    );
    return ok;
  };
  const pacing =
    options.writeSpacingMs === undefined
      ? {}
      : {
          write: writePacer(options.writeSpacingMs) as unknown as NonNullable<ThrottlingOptions['write']>,
          notifications: writePacer(options.writeSpacingMs) as unknown as NonNullable<
            ThrottlingOptions['notifications']
          >,
        };
  const octokit = new VigieOctokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: 'vigie',
    log: { debug: () => undefined, info: () => undefined, warn, error: warn },
    request: {
      fetch: (url: string | URL, init: RequestInit = {}) =>
        fetch(url, {
          ...init,
          signal: init.signal
            ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
            : AbortSignal.timeout(timeoutMs),
        }),
    },
    throttle: {
      onRateLimit: withinBudget,
      onSecondaryRateLimit: withinBudget,
      ...pacing,
    },
    retry: {
      retries: maxRetries,
      retryAfterBaseValue: options.retryBaseMs ?? 1000,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  });

  // A URL given whole (the `rel="next"` of a `Link` header when paging) is requested with the token:
  // one that leaves the API root is refused before anything is sent, and not retried.
  const apiRoot = options.apiUrl.replace(/\/+$/, '');
  octokit.hook.before('request', (request) => {
    const url = String(request.url);
    if (/^https?:/i.test(url) && !isWithinApi(url, apiRoot)) {
      throw new GithubError(
        `lien refusé : ${url} est hors de l’adresse de l’API ${apiRoot}, le jeton n’y est pas envoyé`,
        undefined,
        {
          hint: 'l’API (ou un intermédiaire) renvoie un lien vers un autre hôte : vérifiez github.apiUrl dans vigie.yml et ce qui se trouve entre vigie et l’API',
        },
      );
    }
  });

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const status = statusOf(error);
      const detail = error instanceof Error ? error.message : String(error);
      const hint =
        error instanceof GithubError && error.hint !== undefined
          ? error.hint
          : status === 401
            ? 'vérifiez le jeton VIGIE_GITHUB_TOKEN (droits « issues : lecture et écriture »)'
            : status === 403 || status === 429
              ? 'limite de débit ou droits insuffisants : réessayez plus tard, la synchronisation reprendra où elle s’est arrêtée'
              : 'relancez `vigie github sync` : seuls les appels réussis ont été enregistrés';
      throw new GithubError(
        scrub(`GitHub : ${what} a échoué${status === undefined ? '' : ` (HTTP ${status})`} : ${detail}`),
        status,
        { hint },
      );
    }
  }

  return {
    getRepository: () =>
      call(`la lecture du dépôt ${options.repository}`, async (): Promise<GithubRepository> => {
        const { data } = await octokit.rest.repos.get({ owner, repo });
        return { fullName: data.full_name, private: data.private, htmlUrl: data.html_url };
      }),
    listIssues: (label) =>
      call(`la liste des tickets « ${label} »`, async () => {
        const raw = (await octokit.paginate(octokit.rest.issues.listForRepo, {
          owner,
          repo,
          labels: label,
          state: 'all',
          per_page: options.perPage ?? 100,
        })) as RawIssue[];
        return raw.filter((i) => i.pull_request === undefined).map(issueOf);
      }),
    createIssue: (issue) =>
      call('la création d’un ticket', async () => {
        const { data } = await octokit.rest.issues.create({ owner, repo, ...issue });
        return issueOf(data);
      }),
    updateIssue: (issueNumber, update) =>
      call(`la mise à jour du ticket #${issueNumber}`, async () => {
        const { data } = await octokit.rest.issues.update({
          owner,
          repo,
          issue_number: issueNumber,
          ...update,
        });
        return issueOf(data);
      }),
    createComment: (issueNumber, body) =>
      call(`le commentaire du ticket #${issueNumber}`, async () => {
        await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
      }),
    ensureLabels: (names) =>
      call('la création des étiquettes', async () => {
        const existing = (await octokit.paginate(octokit.rest.issues.listLabelsForRepo, {
          owner,
          repo,
          per_page: options.perPage ?? 100,
        })) as { name: string }[];
        const have = new Set(existing.map((l) => l.name.toLowerCase()));
        for (const name of new Set(names)) {
          if (have.has(name.toLowerCase())) continue;
          try {
            await octokit.rest.issues.createLabel({ owner, repo, name, color: labelColour(name) });
          } catch (error) {
            if (statusOf(error) !== 422) throw error; // created meanwhile
          }
          have.add(name.toLowerCase());
        }
      }),
  };
}
