import { httpBanner, jsonBody, type HttpAnswer } from './http-answer.js';
import type { Identification } from './identification.js';

/** An HTTP API of the service catalogue: where to ask, how to recognise it, how access is proven. */
export interface HttpService {
  name: string;
  /** Path of the identifying request. */
  path: string;
  recognize(answer: HttpAnswer, path: string): Identification | undefined;
  /** A second read-only request whose success proves access without authentication. */
  proof?: { path: string; check(answer: HttpAnswer): string | undefined };
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v.slice(0, 80) : undefined;

function named(
  service: string,
  a: HttpAnswer,
  extra: Omit<Identification, 'service' | 'banner'>,
): Identification {
  return { service, banner: httpBanner(a), ...extra };
}

const elasticsearch: HttpService = {
  name: 'elasticsearch',
  path: '/',
  recognize(a, path) {
    const json = record(jsonBody(a));
    const version = record(json?.version);
    const number = text(version?.number);
    const tagline = text(json?.tagline) ?? '';
    const search =
      /You Know, for Search|OpenSearch/i.test(tagline) || text(version?.lucene_version) !== undefined;
    if (a.status === 200 && number !== undefined && search) {
      const product = text(version?.distribution) === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
      const cluster = text(json?.cluster_name);
      return named('elasticsearch', a, {
        version: `${product} ${number}`,
        unauthenticated: `GET ${path} → HTTP 200${cluster === undefined ? '' : ` (cluster_name: ${cluster})`}`,
      });
    }
    const challenge = a.headers.get('www-authenticate') ?? '';
    if (
      a.headers.get('x-elastic-product') === 'Elasticsearch' ||
      (a.status === 401 && /realm="security"/i.test(challenge) && a.body.includes('security_exception')) ||
      (a.status === 401 && /OpenSearch Security/i.test(challenge))
    )
      return named('elasticsearch', a, { detail: `GET ${path} → HTTP ${a.status}` });
    return undefined;
  },
};

const couchdb: HttpService = {
  name: 'couchdb',
  path: '/',
  recognize(a, path) {
    const json = record(jsonBody(a));
    const server = /CouchDB\/(\d[\w.-]*)/.exec(a.headers.get('server') ?? '')?.[1];
    if (json?.couchdb === 'Welcome' || server !== undefined) {
      const version = text(json?.version) ?? server;
      return named('couchdb', a, {
        ...(version === undefined ? {} : { version: `CouchDB ${version}` }),
        detail: `GET ${path} → HTTP ${a.status}`,
      });
    }
    return undefined;
  },
  proof: {
    path: '/_all_dbs',
    check(a) {
      const json = jsonBody(a);
      return a.status === 200 && Array.isArray(json)
        ? `GET /_all_dbs → HTTP 200 (${json.length} database(s) listed)`
        : undefined;
    },
  },
};

const docker: HttpService = {
  name: 'docker',
  path: '/version',
  recognize(a, path) {
    const json = record(jsonBody(a));
    const api = text(json?.ApiVersion);
    const version = text(json?.Version);
    if (a.status === 200 && api !== undefined && version !== undefined)
      return named('docker', a, {
        version: `Docker ${version}`,
        unauthenticated: `GET ${path} → HTTP 200 (API ${api})`,
      });
    const server = /^Docker\/(\d[\w.+-]*)/.exec(a.headers.get('server') ?? '')?.[1];
    if (server !== undefined || a.headers.has('api-version'))
      return named('docker', a, {
        ...(server === undefined ? {} : { version: `Docker ${server}` }),
        detail: `GET ${path} → HTTP ${a.status}`,
      });
    return undefined;
  },
  proof: {
    path: '/version',
    check(a) {
      const json = record(jsonBody(a));
      return a.status === 200 && text(json?.ApiVersion) !== undefined
        ? `GET /version → HTTP 200 (API ${text(json?.ApiVersion) ?? ''})`
        : undefined;
    },
  },
};

const etcd: HttpService = {
  name: 'etcd',
  path: '/version',
  recognize(a) {
    const json = record(jsonBody(a));
    const server = text(json?.etcdserver);
    if (a.status !== 200 || server === undefined) return undefined;
    // /version is public by design: it proves nothing about access to the keys.
    return named('etcd', a, { version: `etcd ${server}`, detail: 'GET /version → HTTP 200' });
  },
};

const kubelet: HttpService = {
  name: 'kubelet',
  path: '/pods',
  recognize(a, path) {
    // Only the start of the list is read; its kind is enough (the pods themselves are not kept).
    if (a.status === 200 && /^\s*\{\s*"kind"\s*:\s*"PodList"/.test(a.body))
      return named('kubelet', a, { unauthenticated: `GET ${path} → HTTP 200 (PodList)` });
    if (a.status === 403 && a.body.includes('system:anonymous') && /resource=nodes/.test(a.body))
      return named('kubelet', a, { detail: `GET ${path} → HTTP 403 (anonymous requests authenticated)` });
    return undefined;
  },
};

/** Every HTTP API the probe recognises, the expected one tried first. */
export const HTTP_SERVICES: readonly HttpService[] = [elasticsearch, couchdb, docker, etcd, kubelet];

export function httpServiceNamed(name: string | undefined): HttpService | undefined {
  return HTTP_SERVICES.find((s) => s.name === name);
}
