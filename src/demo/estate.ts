import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import net from 'node:net';
import type { X509Certificate } from 'node:crypto';
import type { Endpoint } from '../domain/index.js';
import { startLegacyTlsServer, type LegacyTlsServerOptions } from './legacy-tls-server.js';
import { createCa, issueLeaf, pemChain, type IssueLeafOptions, type Issued } from './pki.js';
import { startFakeService, type FakeServiceKind } from './fake-services.js';
import { carelessSite, plainHttpSite, wellConfiguredSite } from './web-handlers.js';
import { startDemoMailEstate, type DemoMailEstate } from './mail-estate.js';
import { onFixedPort } from './demo-errors.js';

/** Mozilla "intermediate" TLS 1.2 suites: AEAD with forward secrecy only. */
const MODERN_SUITES =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';
const DAY_MS = 86_400_000;
const DEMO_DOMAIN = 'demo.vigie.test';
/**
 * The demo's ports, fixed: each server has its own loopback address (`<network>.11` and up), so these
 * never meet the machine's services on 127.0.0.1; when one is taken anyway the demo stops and says so.
 */
export const DEMO_PORTS = { https: 8443, http: 8080, redis: 6379, mysql: 3306 } as const;
/** The loopback /24 of the demo estate by default (`--network` chooses another). */
export const DEMO_NETWORK = '127.0.0';
const DEMO_PORT = DEMO_PORTS.https;

export interface DemoServer {
  /** Asset id and host label (`<label>.demo.vigie.test`). */
  label: string;
  /** What is wrong with it, in French, for the newcomer reading the output. */
  flaw: string;
  endpoint: Endpoint;
}

export interface DemoEstate {
  servers: DemoServer[];
  /** The demo PKI's root: trusted for the scan, as an internal CA given with --ca would be. */
  trustAnchors: X509Certificate[];
  /** Domains with their DNS server, MX hosts and MTA-STS policy server. */
  mail: DemoMailEstate;
  /** Where the careless site serves plain HTTP (8080): the scan reads it as port 80. */
  plainHttpPort: number;
  close(): Promise<void>;
}

interface Listening {
  port: number;
  close(): Promise<void>;
}

/** An HTTPS server: TLS flaws come from its options, HTTP behaviour from the handler. */
async function listenTls(
  address: string,
  options: tls.TlsOptions,
  handler: Parameters<typeof https.createServer>[1] = wellConfiguredSite,
): Promise<Listening> {
  const server = https.createServer(options, handler);
  server.on('tlsClientError', () => undefined);
  return listen(server, address);
}

async function listenHttp(
  address: string,
  handler: Parameters<typeof http.createServer>[1],
): Promise<Listening> {
  return listen(http.createServer(handler), address, DEMO_PORTS.http);
}

/** The legacy TLS server on the demo port. */
function startLegacyServerOn(address: string, opts: Omit<LegacyTlsServerOptions, 'host' | 'port'>) {
  return onFixedPort(address, DEMO_PORT, () =>
    startLegacyTlsServer({ ...opts, host: address, port: DEMO_PORT }),
  );
}

/** A fake service on its usual port, where the scan's service catalogue expects it. */
async function listenFake(kind: 'redis' | 'mysql', address: string): Promise<Listening> {
  const port = DEMO_PORTS[kind];
  const s = await onFixedPort(address, port, async () => {
    const started = await startFakeService(kind satisfies FakeServiceKind, { host: address, port });
    return { port: started.port, close: () => started.close() };
  });
  return s;
}

async function listenSilent(address: string): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const l = await listen(server, address);
  return {
    port: l.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await l.close();
    },
  };
}

/** Listens on exactly `address:port` (no other port: the estate would not be the one described). */
async function listen(server: net.Server, address: string, port: number = DEMO_PORT): Promise<Listening> {
  return onFixedPort(address, port, async () => {
    const bound = await new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(port, address, () => {
        server.off('error', onError);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
    return {
      port: bound,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  });
}

const days = (n: number) => new Date(Date.now() + n * DAY_MS);

/**
 * Starts the demo estate: one TLS server per known flaw, each on its own `<network>.x` address (11 and
 * up), plus a clean one and a silent one. Certificates are generated at start; nothing leaves the machine.
 */
export async function startDemoEstate(opts: { network?: string } = {}): Promise<DemoEstate> {
  const network = opts.network ?? DEMO_NETWORK;
  const root = await createCa({ commonName: 'Vigie Démo Racine', organization: 'Métropole Démo' });
  const intermediate = await createCa({
    commonName: 'Vigie Démo Intermédiaire',
    organization: 'Métropole Démo',
    issuer: root,
  });
  const rogue = await createCa({ commonName: 'Autorité Inconnue', organization: 'Ailleurs' });
  const name = (label: string) => `${label}.${DEMO_DOMAIN}`;
  const leaf = (label: string, extra: Partial<Omit<IssueLeafOptions, 'issuer'>> = {}) =>
    issueLeaf({ commonName: name(label), issuer: intermediate, ...extra });

  const listening: Listening[] = [];
  const servers: DemoServer[] = [];
  let mail: DemoMailEstate | undefined;
  let nextAddress = 11;
  let plainHttpPort = 0;
  const add = async (
    label: string,
    flaw: string,
    start: (address: string) => Promise<Listening>,
    sameAddressAs?: string,
  ) => {
    const shared = servers.find((s) => s.label === sameAddressAs)?.endpoint.address;
    const address = shared ?? `${network}.${nextAddress++}`;
    const l = await start(address);
    listening.push(l);
    servers.push({
      label,
      flaw,
      endpoint: { host: name(label), address, port: l.port, assetId: `demo-${label}` },
    });
  };
  const modern =
    (
      cert: Issued,
      chain: Issued[] = [intermediate],
      extra: tls.TlsOptions = {},
      handler = wellConfiguredSite,
    ) =>
    (address: string) =>
      listenTls(
        address,
        {
          key: cert.keyPem,
          cert: pemChain(cert, ...chain),
          minVersion: 'TLSv1.2',
          ciphers: `${MODERN_SUITES}:@SECLEVEL=0`,
          ...extra,
        },
        handler,
      );

  try {
    await add(
      'portail',
      'aucun : TLS 1.2 et 1.3, suites AEAD, chaîne complète',
      modern(await leaf('portail')),
    );
    await add(
      'ancien',
      'certificat expiré',
      modern(await leaf('ancien', { notBefore: days(-100), notAfter: days(-10) })),
    );
    await add(
      'bientot',
      'certificat expirant dans 12 jours',
      modern(await leaf('bientot', { notAfter: days(12) })),
    );
    await add(
      'autosigne',
      'certificat autosigné',
      modern(await issueLeaf({ commonName: name('autosigne') }), []),
    );
    await add(
      'inconnu',
      'chaîne émise par une autorité non reconnue',
      modern(await issueLeaf({ commonName: name('inconnu'), issuer: rogue }), [rogue]),
    );
    await add(
      'mauvais-nom',
      'certificat émis pour un autre nom',
      modern(await leaf('mauvais-nom', { commonName: 'autre.exemple.test' })),
    );
    await add(
      'cle-faible',
      'clé RSA de 1024 bits',
      modern(await leaf('cle-faible', { key: { type: 'rsa', bits: 1024 } })),
    );
    await add('sha1', 'certificat signé en SHA-1', modern(await leaf('sha1', { signatureHash: 'SHA-1' })));
    await add('chaine', 'chaîne incomplète (intermédiaire non envoyé)', modern(await leaf('chaine'), []));
    await add(
      'tls10',
      'TLS 1.0 et 1.1 encore actifs',
      modern(await leaf('tls10'), [intermediate], {
        minVersion: 'TLSv1',
        ciphers: `${MODERN_SUITES}:ECDHE-RSA-AES128-SHA:@SECLEVEL=0`,
      }),
    );
    await add(
      'cbc',
      'uniquement des suites CBC, pas de TLS 1.3',
      modern(await leaf('cbc'), [intermediate], {
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:@SECLEVEL=0',
      }),
    );
    const legacyCert = await leaf('historique', { notAfter: days(200) });
    await add('historique', 'serveur ancien : SSLv3, RC4, 3DES, DH 1024 bits, RSA statique', (address) =>
      startLegacyServerOn(address, {
        versions: ['ssl3', 'tls1.0'],
        // RSA-RC4-SHA, DHE-RSA-3DES (DH 1024), RSA-3DES, RSA-AES128-CBC
        suites: [0x0005, 0x0016, 0x000a, 0x002f],
        certificates: [legacyCert.der, intermediate.der],
        dhPrimeBits: 1024,
      }).then((s) => ({ port: s.port, close: () => s.close() })),
    );
    await add('muet', 'accepte la connexion mais ne répond jamais (non évaluable)', listenSilent);
    // A careless web site: HTTPS without security headers, versions disclosed, loose cookies and
    // CORS, /server-status and /.git served; plain HTTP serving the page instead of redirecting.
    await add(
      'site',
      'en-têtes de sécurité absents, versions divulguées, cookies et CORS laxistes, /server-status et /.git publiés',
      modern(await leaf('site'), [intermediate], {}, carelessSite),
    );
    await add(
      'site',
      'HTTP en clair sans redirection vers HTTPS',
      async (address) => {
        const l = await listenHttp(address, plainHttpSite);
        plainHttpPort = l.port;
        return l;
      },
      'site',
    );
    // A database host: Redis answering without authentication, MySQL disclosing its version.
    await add(
      'base',
      'Redis exposé sans authentification',
      (address) => listenFake('redis', address),
      undefined,
    );
    await add('base', 'MySQL exposé, version divulguée', (address) => listenFake('mysql', address), 'base');
    mail = await startDemoMailEstate({ intermediate }, network);
    const started = mail;
    listening.push({ port: 0, close: () => started.close() });
  } catch (error) {
    await Promise.all(listening.map((l) => l.close()));
    throw error;
  }

  return {
    servers,
    trustAnchors: [root.cert],
    mail,
    plainHttpPort,
    close: async () => {
      await Promise.all(listening.map((l) => l.close()));
    },
  };
}
