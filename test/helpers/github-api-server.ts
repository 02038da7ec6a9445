import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback stand-in for the GitHub REST endpoints vigie uses: issues in memory, every call recorded. */

export interface RecordedCall {
  method: string;
  /** Path without the query string: `/repos/exemple/securite/issues/1`. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  status: number;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: string[];
}

export type FaultKind = 'rate-limit' | 'secondary-rate-limit' | 'server-error';

interface Fault {
  method: string;
  path: RegExp;
  kind: FaultKind;
  /** How many matching calls fail. */
  times: number;
  /** Matching calls to let through first. */
  skip: number;
}

export interface GithubApiServer {
  apiUrl: string;
  owner: string;
  repo: string;
  calls: RecordedCall[];
  issues: Map<number, FakeIssue>;
  labels: Set<string>;
  /** Authorization headers seen (to check the token was sent, and only there). */
  authorizations: Set<string>;
  setPrivate(value: boolean): void;
  /**
   * Rewrites the `rel="next"` URL of the `Link` headers the server sends (to point one off the API
   * host, say); `undefined` restores the server's own.
   */
  rewriteNextLink(fn: ((next: string) => string) | undefined): void;
  fail(f: { method: string; path: RegExp; kind: FaultKind; times?: number; skip?: number }): void;
  /**
   * The next `times` matching calls are carried out (an issue is created …) but never answered: the
   * caller waits until it gives up or dies, as a process killed right after its call reached GitHub.
   */
  hold(f: { method: string; path: RegExp; times?: number }): void;
  /** Calls held so far (carried out, unanswered). */
  held(): number;
  /** `METHOD /path` of the calls, reads of labels left out unless asked. */
  sequence(opts?: { labels?: boolean }): string[];
  close(): Promise<void>;
}

export async function startGithubApiServer(
  opts: { owner?: string; repo?: string; private?: boolean; token?: string } = {},
): Promise<GithubApiServer> {
  const owner = opts.owner ?? 'exemple';
  const repo = opts.repo ?? 'securite';
  let isPrivate = opts.private ?? true;
  const calls: RecordedCall[] = [];
  const issues = new Map<number, FakeIssue>();
  const labels = new Set<string>();
  const authorizations = new Set<string>();
  const faults: Fault[] = [];
  const holds: { method: string; path: RegExp; times: number }[] = [];
  let heldCalls = 0;
  let rewriteNext: ((next: string) => string) | undefined;
  let base = '';
  const root = `/repos/${owner}/${repo}`;

  const issueJson = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name) => ({ name })),
    html_url: `https://github.test/${owner}/${repo}/issues/${i.number}`,
  });

  function page<T>(items: T[], url: URL, res: http.ServerResponse): T[] {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const n = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number) => {
      const u = new URL(url.toString(), base);
      u.searchParams.set('page', String(p));
      return `${base}${u.pathname}${u.search}`;
    };
    const rels: string[] = [];
    if (n < last) {
      const next = link(n + 1);
      rels.push(`<${rewriteNext ? rewriteNext(next) : next}>; rel="next"`, `<${link(last)}>; rel="last"`);
    }
    if (n > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(n - 1)}>; rel="prev"`);
    if (rels.length > 0) res.setHeader('Link', rels.join(', '));
    return items.slice((n - 1) * perPage, n * perPage);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text ? JSON.parse(text) : undefined;
      const call: RecordedCall = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(body === undefined ? {} : { body }),
        status: 0,
      };
      calls.push(call);
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        call.status = status;
        const hold = holds.find((h) => h.method === method && h.path.test(url.pathname) && h.times > 0);
        if (hold && status < 400) {
          hold.times -= 1;
          heldCalls += 1;
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(data));
      };
      if (req.headers.authorization) authorizations.add(req.headers.authorization);
      if (opts.token && req.headers.authorization !== `token ${opts.token}`)
        return send(401, { message: 'Bad credentials' });

      const fault = faults.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0);
      if (fault) {
        if (fault.skip > 0) fault.skip -= 1;
        else {
          fault.times -= 1;
          const now = Math.floor(Date.now() / 1000);
          switch (fault.kind) {
            case 'rate-limit':
              return send(
                403,
                { message: 'API rate limit exceeded for user.' },
                {
                  'x-ratelimit-limit': '5000',
                  'x-ratelimit-remaining': '0',
                  'x-ratelimit-reset': String(now + 1),
                },
              );
            case 'secondary-rate-limit':
              return send(
                429,
                { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' },
                { 'retry-after': '1' },
              );
            case 'server-error':
              return send(500, { message: 'Internal Server Error' });
          }
        }
      }

      const body_ = (body ?? {}) as Record<string, unknown>;
      const labelNames = (v: unknown) =>
        Array.isArray(v)
          ? v.map((l) => (typeof l === 'string' ? l : String((l as { name: string }).name)))
          : [];
      if (url.pathname === root && method === 'GET') {
        return send(200, {
          full_name: `${owner}/${repo}`,
          private: isPrivate,
          html_url: `https://github.test/${owner}/${repo}`,
        });
      }
      if (url.pathname === `${root}/issues` && method === 'GET') {
        const wanted = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
        const state = url.searchParams.get('state') ?? 'open';
        const all = [...issues.values()]
          .filter((i) => wanted.every((l) => i.labels.includes(l)))
          .filter((i) => state === 'all' || i.state === state)
          .sort((a, b) => b.number - a.number);
        return send(200, page(all, url, res).map(issueJson));
      }
      if (url.pathname === `${root}/issues` && method === 'POST') {
        const issue: FakeIssue = {
          number: issues.size + 1,
          title: String(body_['title']),
          body: typeof body_['body'] === 'string' ? body_['body'] : '',
          state: 'open',
          labels: labelNames(body_['labels']),
          comments: [],
        };
        issues.set(issue.number, issue);
        return send(201, issueJson(issue));
      }
      const one = new RegExp(`^${root}/issues/(\\d+)(/comments)?$`).exec(url.pathname);
      if (one) {
        const issue = issues.get(Number(one[1]));
        if (!issue) return send(404, { message: 'Not Found' });
        if (one[2] && method === 'POST') {
          issue.comments.push(String(body_['body']));
          return send(201, { id: issue.comments.length, body: body_['body'] });
        }
        if (!one[2] && method === 'PATCH') {
          if (typeof body_['title'] === 'string') issue.title = body_['title'];
          if (typeof body_['body'] === 'string') issue.body = body_['body'];
          if (body_['state'] === 'open' || body_['state'] === 'closed') issue.state = body_['state'];
          if (Array.isArray(body_['labels'])) issue.labels = labelNames(body_['labels']);
          return send(200, issueJson(issue));
        }
      }
      if (url.pathname === `${root}/labels` && method === 'GET') {
        return send(
          200,
          page(
            [...labels].sort().map((name) => ({ name })),
            url,
            res,
          ),
        );
      }
      if (url.pathname === `${root}/labels` && method === 'POST') {
        const name = String(body_['name']);
        if (labels.has(name)) return send(422, { message: 'Validation Failed' });
        labels.add(name);
        return send(201, { name, color: body_['color'] });
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: base,
    owner,
    repo,
    calls,
    issues,
    labels,
    authorizations,
    setPrivate: (value) => {
      isPrivate = value;
    },
    rewriteNextLink: (fn) => {
      rewriteNext = fn;
    },
    fail: (f) => faults.push({ ...f, times: f.times ?? 1, skip: f.skip ?? 0 }),
    hold: (f) => holds.push({ ...f, times: f.times ?? 1 }),
    held: () => heldCalls,
    sequence: (o = {}) =>
      calls
        .filter((c) => o.labels || !c.path.endsWith('/labels'))
        .map(
          (c) => `${c.method} ${c.path.replace(root, '') || '/'}${c.status >= 400 ? ` → ${c.status}` : ''}`,
        ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
