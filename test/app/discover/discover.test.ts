import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { discoverNames, type DiscoverRequest } from '../../../src/app/discover/index.js';
import { startDnsServer, type RunningDnsServer } from '../../../src/demo/index.js';
import { fixedClock, type TakeoverProvider } from '../../../src/domain/index.js';
import { openStore } from '../../../src/store/index.js';

/*
 * Discovery against servers started here on loopback: a DNS server (resolver and authoritative,
 * AXFR allowed), a second one that refuses the zone (lame delegation, AXFR refused), a CT API, and
 * an HTTP server answering a provider's "no such site" page. Fake provider names only.
 */

const ZONE = 'ville.vigie.test';
const JOKER = 'joker.vigie.test';
const NOW = new Date('2026-12-01T08:00:00Z');

const PROVIDERS: TakeoverProvider[] = [
  {
    id: 'nuage-nx',
    name: 'Nuage NX',
    cname: ['nuage.test'],
    nxdomain: true,
    takeover: true,
    references: ['x'],
  },
  {
    id: 'pages-http',
    name: 'Pages HTTP',
    cname: ['pages.test'],
    nxdomain: false,
    http: { status: [404], body: 'No site here' },
    takeover: false,
    references: ['x'],
  },
];

let dns: RunningDnsServer;
let lame: RunningDnsServer;
let ctUrl: string;
let httpPort: number;
let dir: string;
let inventory: string;
let ctBody: () => string | Buffer = () => '[]';

function listen(server: net.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-discover-'));
  const records = [
    { name: ZONE, type: 'SOA' as const, data: { mname: `ns1.${ZONE}`, rname: `hostmaster.${ZONE}` } },
    { name: ZONE, type: 'NS' as const, data: `ns1.${ZONE}` },
    { name: ZONE, type: 'NS' as const, data: `ns2.${ZONE}` },
    { name: ZONE, type: 'A' as const, data: '127.0.0.80' },
    { name: `ns1.${ZONE}`, type: 'A' as const, data: '127.0.0.71' },
    { name: `ns2.${ZONE}`, type: 'A' as const, data: '127.0.0.72' },
    { name: `www.${ZONE}`, type: 'A' as const, data: '127.0.0.80' },
    // Forgotten: found by the word list (recette), by CT only (ct-seul), by AXFR only (zz-interne).
    { name: `recette.${ZONE}`, type: 'A' as const, data: '127.0.0.81' },
    { name: `ct-seul.${ZONE}`, type: 'A' as const, data: '127.0.0.82' },
    { name: `zz-interne.${ZONE}`, type: 'A' as const, data: '127.0.0.83' },
    // Dangling: a CNAME whose provider target is NXDOMAIN; another whose provider says "no site".
    { name: `old.${ZONE}`, type: 'CNAME' as const, data: 'parti.nuage.test' },
    { name: `blog.${ZONE}`, type: 'CNAME' as const, data: 'site.pages.test' },
    { name: 'site.pages.test', type: 'A' as const, data: '127.0.0.73' },
    // Alive at a provider: its target resolves.
    { name: `portail.${ZONE}`, type: 'CNAME' as const, data: 'vivant.nuage.test' },
    { name: 'vivant.nuage.test', type: 'A' as const, data: '127.0.0.84' },
    // A CNAME loop, found by CT.
    { name: `boucle1.${ZONE}`, type: 'CNAME' as const, data: `boucle2.${ZONE}` },
    { name: `boucle2.${ZONE}`, type: 'CNAME' as const, data: `boucle1.${ZONE}` },
    // A wildcard zone: the word list must not turn it into a hundred names.
    { name: JOKER, type: 'SOA' as const, data: { mname: `ns1.${ZONE}`, rname: `hostmaster.${ZONE}` } },
    { name: JOKER, type: 'NS' as const, data: `ns1.${ZONE}` },
    { name: JOKER, type: 'A' as const, data: '127.0.0.90' },
    { name: `*.${JOKER}`, type: 'A' as const, data: '127.0.0.90' },
    { name: `extranet.${JOKER}`, type: 'A' as const, data: '127.0.0.91' },
  ];
  dns = await startDnsServer({ host: '127.0.0.71', records, axfr: [ZONE] });
  lame = await startDnsServer({ host: '127.0.0.72', port: dns.port, records: [], refused: [ZONE] });

  const ct = http.createServer((req, res) => {
    const body = ctBody();
    res.writeHead(req.url?.includes('output=json') ? 200 : 400, { 'content-type': 'application/json' });
    res.end(body);
  });
  ctUrl = `http://127.0.0.1:${await listen(ct, '127.0.0.1')}`;
  const pages = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>No site here</h1>');
  });
  httpPort = await listen(pages, '127.0.0.73');
  onClose.push(
    () => new Promise((r) => ct.close(() => r(undefined))),
    () => new Promise((r) => pages.close(() => r(undefined))),
  );

  inventory = path.join(dir, 'vigie.yml');
  fs.writeFileSync(
    inventory,
    `organisation: { name: Ville de Vigie }
dns: { resolver: "${dns.address}" }
assets:
  - id: portail
    name: Portail
    owner: DSI
    criticality: high
    hosts: [www.${ZONE}, portail.${ZONE}]
    domains: [${ZONE}]
`,
  );
});

const onClose: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(onClose.map((f) => f()));
  await dns?.close();
  await lame?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const ctx = (data: string) => ({
  clock: fixedClock(NOW),
  lang: 'fr' as const,
  dataDir: path.join(dir, data),
});

function request(extra: Partial<DiscoverRequest> = {}): DiscoverRequest {
  return {
    inventoryFile: inventory,
    save: true,
    ctUrl,
    providers: PROVIDERS,
    nameserverPort: dns.port,
    httpPort,
    timeoutMs: 1500,
    ...extra,
  };
}

const CT_ANSWER = JSON.stringify([
  { name_value: `www.${ZONE}\nct-seul.${ZONE}`, not_after: '2027-03-01T00:00:00', issuer_name: 'x' },
  { name_value: `*.${ZONE}\nexpire.${ZONE}`, not_after: '2020-01-01T00:00:00', issuer_name: 'x' },
  { name_value: `boucle1.${ZONE}\nautre.example.org`, not_after: '2027-03-01T00:00:00' },
  { name_value: `CT-SEUL.${ZONE}.` },
]);

describe('discoverNames', () => {
  it('classifies every name and raises exactly the expected findings', async () => {
    ctBody = () => CT_ANSWER;
    const result = await discoverNames(ctx('main'), request());
    const classes = Object.fromEntries(result.names.map((n) => [n.name, n.class]));
    expect(classes).toEqual({
      [ZONE]: 'known',
      [`www.${ZONE}`]: 'known',
      [`portail.${ZONE}`]: 'known',
      [`ns1.${ZONE}`]: 'new',
      [`ns2.${ZONE}`]: 'new',
      [`recette.${ZONE}`]: 'new',
      [`ct-seul.${ZONE}`]: 'new',
      [`zz-interne.${ZONE}`]: 'new',
      [`old.${ZONE}`]: 'dangling',
      [`blog.${ZONE}`]: 'dangling',
      [`expire.${ZONE}`]: 'unresolved',
      [`boucle1.${ZONE}`]: 'unresolved',
      [`boucle2.${ZONE}`]: 'unresolved',
    });
    const byName = new Map(result.names.map((n) => [n.name, n]));
    expect(byName.get(`ct-seul.${ZONE}`)?.sources).toEqual(['axfr', 'ct']);
    expect(byName.get(`zz-interne.${ZONE}`)?.sources).toEqual(['axfr']);
    expect(byName.get(`expire.${ZONE}`)?.expiredOnly).toBe(true);
    expect(byName.get(ZONE)?.wildcard).toBe(true);
    expect(byName.get(`boucle1.${ZONE}`)?.detail).toMatch(/boucle/);
    expect(byName.get(`old.${ZONE}`)?.takeover).toEqual({
      provider: 'nuage-nx',
      providerName: 'Nuage NX',
      rule: 'nxdomain',
      claimable: true,
    });
    expect(byName.get(`blog.${ZONE}`)?.takeover?.rule).toBe('http');

    const ids = result.findings.map((f) => `${f.checkId} ${f.host}`).sort();
    expect(ids).toEqual(
      [
        `dns.axfr.open ${ZONE}`,
        `dns.ns.lame ${ZONE}`,
        `dns.takeover.possible blog.${ZONE}`,
        `dns.takeover.possible old.${ZONE}`,
        `inventory.unlisted ct-seul.${ZONE}`,
        `inventory.unlisted ns1.${ZONE}`,
        `inventory.unlisted ns2.${ZONE}`,
        `inventory.unlisted recette.${ZONE}`,
        `inventory.unlisted zz-interne.${ZONE}`,
      ].sort(),
    );
    for (const f of result.findings) expect(f.port).toBe(53);
    const blog = result.findings.find((f) => f.host === `blog.${ZONE}`);
    // A provider not known to let anyone claim the name: high, not critical.
    expect(blog?.severity).toBe('high');
    expect(result.findings.find((f) => f.host === `old.${ZONE}`)?.severity).toBe('critical');
    expect(result.findings.find((f) => f.checkId === 'dns.takeover.possible')?.playbook).toBe('PB-003');
    expect(result.sources.map((s) => `${s.source} ${s.status}`).sort()).toEqual([
      'axfr ok',
      'ct ok',
      'dns ok',
    ]);
  });

  it('does not turn a wildcard zone into names, and lists what the word list found beside it', async () => {
    ctBody = () => '[]';
    const result = await discoverNames(
      ctx('joker'),
      request({ domains: [JOKER], sources: ['dns'], save: false }),
    );
    expect(result.names.map((n) => n.name).sort()).toEqual(
      [JOKER, `extranet.${JOKER}`, `ns1.${ZONE}`].filter((n) => n.endsWith(JOKER)).sort(),
    );
    expect(result.sources[0]).toMatchObject({ source: 'dns', status: 'ok' });
    expect(result.sources[0]?.status === 'ok' && result.sources[0].detail).toMatch(/générique/);
  });

  it('saves a discovery run that never becomes the latest scan run, and resolves a name once gone', async () => {
    ctBody = () => CT_ANSWER;
    const c = ctx('history');
    await discoverNames(c, request());
    const store = openStore(c.dataDir);
    try {
      expect(await store.runs.list()).toEqual([]);
      expect(await store.runs.latestEndpoints()).toEqual([]);
      const open = (await store.findings.list({ now: NOW.toISOString() }))
        .filter((f) => f.open)
        .map((f) => f.checkId);
      expect(open).toContain('inventory.unlisted');
      expect((await store.discovery.list()).find((n) => n.name === `ct-seul.${ZONE}`)).toMatchObject({
        class: 'new',
        firstSeen: NOW.toISOString(),
      });
    } finally {
      await store.close();
    }
    // A week later CT no longer lists ct-seul: the name seen before is looked at again. Meanwhile the
    // inventory took it in: its finding resolves, and its first-seen date is kept.
    const later = { ...c, clock: fixedClock(new Date(NOW.getTime() + 7 * 86_400_000)) };
    const shrunk = JSON.stringify([{ name_value: `www.${ZONE}`, not_after: '2027-03-01T00:00:00' }]);
    ctBody = () => shrunk;
    const listed = path.join(dir, 'vigie-listed.yml');
    fs.writeFileSync(
      listed,
      fs.readFileSync(inventory, 'utf8').replace(`portail.${ZONE}]`, `portail.${ZONE}, ct-seul.${ZONE}]`),
    );
    const second = await discoverNames(later, request({ sources: ['ct'], inventoryFile: listed }));
    const ctSeul = second.names.find((n) => n.name === `ct-seul.${ZONE}`);
    expect(ctSeul).toMatchObject({ class: 'known', firstSeen: NOW.toISOString(), sources: ['axfr', 'ct'] });
    const after = openStore(c.dataDir);
    try {
      const mine = (await after.findings.list({ now: later.clock.now().toISOString() })).filter(
        (f) => f.host === `ct-seul.${ZONE}`,
      );
      expect(mine.map((f) => [f.checkId, f.open])).toEqual([['inventory.unlisted', false]]);
      // recette was not looked at again by this CT-only run's sources but is a known name: still open.
      expect(
        (await after.findings.list({ now: later.clock.now().toISOString() }))
          .filter((f) => f.host === `recette.${ZONE}`)
          .map((f) => f.open),
      ).toEqual([true]);
      expect(await after.runs.list()).toEqual([]);
    } finally {
      await after.close();
    }
  });

  it('ends hostile CT answers as a failed source, never as "found nothing"', async () => {
    for (const [body, detail] of [
      ['{not json', /JSON illisible/],
      [JSON.stringify({ a: 1 }), /liste/],
      [Buffer.alloc(3 * 1024 * 1024, 0x20), /octets/],
      [JSON.stringify(Array.from({ length: 50 }, () => ({ name_value: 'x' }))), /entrées/],
    ] as const) {
      ctBody = () => body;
      const result = await discoverNames(
        ctx('hostile'),
        request({ sources: ['ct'], save: false, ctLimits: { maxBytes: 1024 * 1024, maxEntries: 10 } }),
      );
      expect(result.sources).toEqual([
        expect.objectContaining({
          source: 'ct',
          status: 'failed',
          detail: expect.stringMatching(detail) as string,
        }),
      ]);
    }
  });

  it('abandons a zone transfer over its record limit (the server is still reported open)', async () => {
    const result = await discoverNames(
      ctx('axfr-limit'),
      request({ sources: ['axfr'], save: false, axfrLimits: { maxRecords: 3 } }),
    );
    expect(result.sources).toEqual([
      expect.objectContaining({
        source: 'axfr',
        status: 'failed',
        detail: expect.stringMatching(/plus de 3/) as string,
      }),
    ]);
    // The server did start the transfer: it is open, whatever the size of the zone.
    expect(result.findings.map((f) => f.checkId)).toEqual(['dns.axfr.open']);
    expect(result.names.map((n) => n.sources)).not.toContainEqual(['axfr']);
  });

  it('sweeps a declared range and names what answers by its reverse name', async () => {
    const listener = net.createServer((s) => s.destroy());
    const port = await listen(listener, '127.0.0.97');
    onTestFinished(() => new Promise((r) => listener.close(() => r(undefined))));
    const ptr = await startDnsServer({
      host: '127.0.0.74',
      records: [{ name: '97.0.0.127.in-addr.arpa', type: 'PTR', data: `imprimante.${ZONE}` }, ...[]],
    });
    onTestFinished(() => ptr.close());
    const result = await discoverNames(
      ctx('network'),
      request({
        sources: ['network'],
        networks: ['127.0.0.96/30'],
        sweepPorts: [port],
        resolver: ptr.address,
        save: false,
      }),
    );
    const found = result.names.find((n) => n.name === `imprimante.${ZONE}`);
    expect(found).toMatchObject({ sources: ['network'], openPorts: [port] });
    expect(result.sources).toEqual([expect.objectContaining({ source: 'network', status: 'ok', names: 1 })]);
  });
});
