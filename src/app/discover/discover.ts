import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { DEFAULT_CT_URL, loadConfig, loadTakeoverCatalogue, type VigieConfig } from '../../config/index.js';
import {
  fingerprintOf,
  foldCtNames,
  inDomain,
  ipv4Addresses,
  isDiscoverableName,
  judgeTakeover,
  normaliseDnsName,
  parseIpv4Cidr,
  SEVERITIES,
  UsageError,
  type CandidateName,
  type DiscoveredName,
  type DiscoveryClass,
  type DiscoverySource,
  type DnsServerAddress,
  type Finding,
  type LocalText,
  type RawFinding,
  type Severity,
  type SourceReport,
  type StoredCheckStatus,
  type TakeoverProvider,
} from '../../domain/index.js';
import { dnsQuery, parseResolverAddress, systemResolver } from '../../probes/dns/index.js';
import {
  DEFAULT_AXFR_LIMITS,
  DEFAULT_CT_LIMITS,
  fetchCtEntries,
  resolveChain,
  reverseName,
  sweepAddresses,
  zoneTransfer,
  type AxfrLimits,
  type CtLimits,
} from '../../probes/discovery/index.js';
import { httpGet } from '../../probes/http/index.js';
import { localize, msg, t, type Lang, type MessageKey, type Params } from '../../i18n/index.js';
import { defaultPorts } from '../../engine/plan.js';
import { mapConcurrently } from '../../engine/map-concurrently.js';
import {
  type DiscoveredNameInput,
  type DiscoveredNameRecord,
  type FindingRecord,
  type StoredEndpoint,
  type StoredRunInput,
} from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import { CHECKS_DIR } from '../shared/load-catalogue.js';
import {
  compareFindings,
  materializeFinding,
  metaOf,
  storedFindingOf,
} from '../shared/materialize-findings.js';
import { loadWordlist, SRV_SERVICES } from './wordlist.js';
import { hasDataStore, openAppStore } from '../shared/data-store.js';

/** The port discovery findings carry: what they report was observed over DNS (as the domain checks). */
export const DISCOVERY_PORT = 53;
export const TAKEOVER_FILE = `${CHECKS_DIR}takeover.yaml`;
export const DISCOVERY_DEFAULTS = {
  timeoutMs: 5000,
  concurrency: 16,
  /** Names resolved per run, at most (CT of a large domain included): beyond, the run says so. */
  maxNames: 100_000,
  sweep: { ratePerSecond: 200, perHostConcurrency: 4, concurrency: 64 },
  httpPort: 80,
  nameserverPort: 53,
} as const;

export interface DiscoverRequest {
  inventoryFile: string;
  /** Domains to explore; default: the inventory's domains. */
  domains?: readonly string[];
  /** Default: ct, dns and axfr, plus network when ranges are declared. */
  sources?: readonly DiscoverySource[];
  wordlistFile?: string;
  resolver?: string;
  timeoutMs?: number;
  concurrency?: number;
  save: boolean;
  /** Instead of `discovery.certificateTransparency.url`. */
  ctUrl?: string;
  /** Instead of `discovery.networks`. */
  networks?: readonly string[];
  /** Ports swept on the networks; default: web ports and the service catalogue's. */
  sweepPorts?: readonly number[];
  sweep?: Partial<{ ratePerSecond: number; perHostConcurrency: number; concurrency: number }>;
  ctLimits?: Partial<CtLimits>;
  axfrLimits?: Partial<AxfrLimits>;
  /** Takeover fingerprints instead of checks/takeover.yaml (tests). */
  providers?: readonly TakeoverProvider[];
  /** Port of the authoritative servers (AXFR, delegation) instead of 53: the demo estate and the tests only. */
  nameserverPort?: number;
  /** Port of the HTTP fingerprints instead of 80: the demo estate and the tests only. */
  httpPort?: number;
}

export interface DiscoverResult {
  run: { id: string; kind: 'discovery'; startedAt: string; finishedAt: string; saved: boolean };
  domains: string[];
  sources: SourceReport[];
  summary: Record<DiscoveryClass, number> & {
    names: number;
    findings: number;
    bySeverity: Record<Severity, number>;
  };
  names: DiscoveredName[];
  findings: Finding[];
}

function newRunId(at: Date): string {
  return `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/** Names and pinned addresses the inventory lists, with their asset. */
function inventoryNames(config: VigieConfig | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const asset of config?.assets ?? []) {
    for (const h of asset.hosts) {
      names.set(normaliseDnsName(h.name), asset.id);
      if (h.address) names.set(h.address, asset.id);
    }
    for (const d of asset.domains ?? []) names.set(normaliseDnsName(d.name), asset.id);
  }
  return names;
}

class Candidates {
  readonly byName = new Map<string, CandidateName>();
  dropped = 0;
  constructor(private readonly max: number) {}

  add(name: string, domain: string, source: DiscoverySource, extra: Partial<CandidateName> = {}): void {
    const n = normaliseDnsName(name);
    const existing = this.byName.get(n);
    if (existing === undefined) {
      if (this.byName.size >= this.max) {
        this.dropped += 1;
        return;
      }
      this.byName.set(n, { name: n, domain, sources: [source], ...extra });
      return;
    }
    if (!existing.sources.includes(source)) existing.sources.push(source);
    // Expired-only holds while every certificate naming it has expired.
    if (extra.expiredOnly !== undefined && existing.expiredOnly !== false)
      existing.expiredOnly = extra.expiredOnly;
    if (extra.wildcard) existing.wildcard = true;
    if (extra.addresses)
      existing.addresses = [...new Set([...(existing.addresses ?? []), ...extra.addresses])];
    if (extra.openPorts)
      existing.openPorts = [...new Set([...(existing.openPorts ?? []), ...extra.openPorts])];
  }
}

interface Ctx {
  /** Language of the texts the report carries (a failed source's reason, an unresolved name's detail). */
  lang: Lang;
  resolver: DnsServerAddress;
  timeoutMs: number;
  concurrency: number;
  nameserverPort: number;
}

/** A catalogue text in the report's language. */
const say = (c: Ctx, key: MessageKey, params: Params = {}): string => t(c.lang, key, params);

/** Why an observation failed, in the report's language (the probe's catalogue text when it gave one). */
function failureText(
  lang: Lang,
  o: { status: 'error'; detail: string; text?: LocalText } | { status: 'skipped'; because: string },
): string {
  return o.status === 'error' ? localize(lang, o.text, o.detail) : o.because;
}

/** The NS host names of a domain, lower-case. */
async function nameServers(domain: string, c: Ctx): Promise<{ names: string[] } | { error: string }> {
  const ns = await dnsQuery(domain, 'NS', { server: c.resolver, timeoutMs: c.timeoutMs });
  if (ns.status !== 'observed') return { error: failureText(c.lang, ns) };
  return { names: ns.value.answers.flatMap((r) => (r.type === 'NS' ? [r.target] : [])) };
}

/** The first IPv4/IPv6 address of a name through the resolver. */
async function addressOf(name: string, c: Ctx): Promise<string | undefined> {
  const r = await resolveChain(name, c.resolver, c.timeoutMs);
  return r.status === 'observed' ? r.value.addresses[0] : undefined;
}

/** Common names, MX and SRV targets under the domain, a wildcard answer left out. */
async function dnsSource(
  domain: string,
  words: readonly string[],
  nsNames: readonly string[],
  c: Ctx,
  found: Candidates,
): Promise<SourceReport> {
  const before = found.byName.size;
  const probe = `vigie-${randomBytes(6).toString('hex')}.${domain}`;
  const wild = await resolveChain(probe, c.resolver, c.timeoutMs);
  if (wild.status !== 'observed')
    return {
      source: 'dns',
      domain,
      status: 'failed',
      reason: wild.status === 'error' ? wild.reason : 'skipped',
      detail: failureText(c.lang, wild),
    };
  const signature = (addresses: string[], cnames: string[]): string =>
    [...addresses].sort().join(',') + '|' + (cnames.at(-1) ?? '');
  const wildcard =
    wild.value.rcode === 'NOERROR' && wild.value.addresses.length > 0
      ? signature(wild.value.addresses, wild.value.cnames)
      : undefined;
  found.add(domain, domain, 'dns');
  for (const n of nsNames) if (inDomain(n, domain)) found.add(n, domain, 'dns');
  const mx = await dnsQuery(domain, 'MX', { server: c.resolver, timeoutMs: c.timeoutMs });
  if (mx.status === 'observed')
    for (const r of mx.value.answers)
      if (r.type === 'MX' && inDomain(r.exchange, domain)) found.add(r.exchange, domain, 'dns');
  await mapConcurrently(SRV_SERVICES, c.concurrency, async (srv) => {
    const a = await dnsQuery(`${srv}.${domain}`, 'SRV', { server: c.resolver, timeoutMs: c.timeoutMs });
    if (a.status === 'observed')
      for (const r of a.value.answers)
        if (r.type === 'SRV' && inDomain(r.target, domain)) found.add(r.target, domain, 'dns');
  });
  let errors = 0;
  let wildcarded = 0;
  await mapConcurrently(words, c.concurrency, async (word) => {
    const name = `${word}.${domain}`;
    const r = await resolveChain(name, c.resolver, c.timeoutMs);
    if (r.status !== 'observed') {
      errors += 1;
      return;
    }
    const exists = r.value.cnames.length > 0 || (r.value.rcode === 'NOERROR' && r.value.addresses.length > 0);
    if (!exists) return;
    if (wildcard !== undefined && signature(r.value.addresses, r.value.cnames) === wildcard) {
      wildcarded += 1;
      return;
    }
    found.add(name, domain, 'dns');
  });
  if (errors === words.length && words.length > 0)
    return {
      source: 'dns',
      domain,
      status: 'failed',
      reason: 'timeout',
      detail: say(c, 'texts2.discover.dns.no-answer', { count: words.length }),
    };
  // Questions left unanswered are said: the names behind them were not ruled out.
  const notes = [
    ...(wildcard === undefined
      ? []
      : [say(c, 'texts2.discover.dns.wildcard', { domain, count: wildcarded })]),
    ...(errors === 0
      ? []
      : [say(c, 'texts2.discover.dns.unanswered', { count: errors, total: words.length })]),
  ];
  return {
    source: 'dns',
    domain,
    status: 'ok',
    names: found.byName.size - before,
    ...(notes.length === 0 ? {} : { detail: notes.join(say(c, 'texts2.discover.separator')) }),
  };
}

interface ZoneChecks {
  findings: RawFinding[];
  /** check id → status for the domain's discovery endpoint */
  checks: Record<string, StoredCheckStatus>;
}

/** AXFR attempted once per authoritative server; an allowed transfer is a finding and its names are used. */
async function axfrSource(
  domain: string,
  nsNames: readonly string[],
  c: Ctx,
  limits: AxfrLimits,
  found: Candidates,
  zone: ZoneChecks,
): Promise<SourceReport> {
  if (nsNames.length === 0)
    return {
      source: 'axfr',
      domain,
      status: 'failed',
      reason: 'dns',
      detail: say(c, 'texts2.discover.axfr.no-ns', { domain }),
    };
  let allowed = 0;
  let refused = 0;
  const errors: string[] = [];
  const before = found.byName.size;
  for (const ns of nsNames) {
    const address = await addressOf(ns, c);
    if (address === undefined) {
      errors.push(say(c, 'texts2.discover.axfr.no-address', { server: ns }));
      continue;
    }
    const result = await zoneTransfer({ host: address, port: c.nameserverPort }, domain, limits);
    if (result.status !== 'observed') {
      errors.push(failureText(c.lang, result));
      continue;
    }
    if (!result.value.allowed) {
      refused += 1;
      continue;
    }
    allowed += 1;
    const overLimit = 'overLimit' in result.value ? result.value.overLimit : undefined;
    zone.findings.push({
      checkId: 'dns.axfr.open',
      host: domain,
      port: DISCOVERY_PORT,
      key: ns,
      params: {
        domain,
        server: ns,
        records: overLimit === undefined ? result.value.records.length : `> ${limits.maxRecords}`,
      },
    });
    // An open server whose transfer went past a limit: the finding stands, its names are not used.
    if (overLimit !== undefined) errors.push(localize(c.lang, overLimit, overLimit.fallback));
    for (const r of result.value.records) {
      const name = r.name.startsWith('*.') ? r.name.slice(2) : r.name;
      if (isDiscoverableName(name) && inDomain(name, domain)) found.add(name, domain, 'axfr');
    }
  }
  zone.checks['dns.axfr.open'] = allowed > 0 ? 'fail' : refused > 0 && errors.length === 0 ? 'pass' : 'error';
  // Any server not observed (or a transfer over a limit) fails the source: it never reads as "nothing found".
  if (errors.length > 0)
    return {
      source: 'axfr',
      domain,
      status: 'failed',
      reason: allowed + refused === 0 ? 'unreachable' : 'protocol-error',
      detail: [say(c, 'texts2.discover.axfr.summary', { allowed, refused }), ...errors].join(
        say(c, 'texts2.discover.separator'),
      ),
    };
  return {
    source: 'axfr',
    domain,
    status: 'ok',
    names: found.byName.size - before,
    detail: say(c, 'texts2.discover.axfr.summary', { allowed, refused }),
  };
}

/** Each delegated server must answer authoritatively for the zone (an SOA); REFUSED, SERVFAIL or no SOA is lame. */
async function lameCheck(
  domain: string,
  nsNames: readonly string[],
  c: Ctx,
  zone: ZoneChecks,
): Promise<void> {
  let observed = 0;
  let lame = 0;
  for (const ns of nsNames) {
    const address = await addressOf(ns, c);
    if (address === undefined) continue;
    const soa = await dnsQuery(domain, 'SOA', {
      server: { host: address, port: c.nameserverPort },
      timeoutMs: c.timeoutMs,
    });
    if (soa.status !== 'observed') continue;
    observed += 1;
    const hasSoa = soa.value.answers.some((r) => r.type === 'SOA');
    if (soa.value.rcode === 'NOERROR' && hasSoa) continue;
    lame += 1;
    zone.findings.push({
      checkId: 'dns.ns.lame',
      host: domain,
      port: DISCOVERY_PORT,
      key: ns,
      params: { domain, server: ns, answer: hasSoa ? soa.value.rcode : `${soa.value.rcode}, 0 SOA` },
    });
  }
  if (nsNames.length > 0)
    zone.checks['dns.ns.lame'] = lame > 0 ? 'fail' : observed === nsNames.length ? 'pass' : 'error';
}

/** Declared ranges swept on the ports, with reverse names. */
async function networkSource(
  cidr: string,
  ports: readonly number[],
  c: Ctx,
  sweep: { ratePerSecond: number; perHostConcurrency: number; concurrency: number },
  found: Candidates,
): Promise<SourceReport> {
  const range = parseIpv4Cidr(cidr);
  if (range === undefined)
    return {
      source: 'network',
      domain: cidr,
      status: 'failed',
      reason: 'internal',
      detail: say(c, 'texts2.discover.network.bad-range', { range: cidr }),
    };
  const open = await sweepAddresses(ipv4Addresses(range), ports, {
    timeoutMs: Math.min(c.timeoutMs, 2000),
    ...sweep,
  });
  await mapConcurrently([...open.entries()], c.concurrency, async ([address, openPorts]) => {
    const ptr = await dnsQuery(reverseName(address), 'PTR', { server: c.resolver, timeoutMs: c.timeoutMs });
    const names =
      ptr.status === 'observed'
        ? ptr.value.answers.flatMap((r) =>
            r.type === 'PTR' && isDiscoverableName(r.target) ? [r.target] : [],
          )
        : [];
    if (names.length === 0) found.add(address, cidr, 'network', { addresses: [address], openPorts });
    for (const n of names) found.add(n, cidr, 'network', { addresses: [address], openPorts });
  });
  return { source: 'network', domain: cidr, status: 'ok', names: open.size };
}

interface Classified {
  name: DiscoveredName;
  findings: RawFinding[];
  checks: Record<string, StoredCheckStatus>;
}

/** Resolves one name and classifies it: known / new / dangling / unresolved, with its findings. */
async function classify(
  cand: CandidateName,
  inventory: Map<string, string>,
  providers: readonly TakeoverProvider[],
  c: Ctx,
  httpPort: number,
  at: string,
): Promise<Classified> {
  const assetId = inventory.get(cand.name);
  const base = {
    name: cand.name,
    domain: cand.domain,
    sources: [...cand.sources].sort(),
    ...(assetId ? { assetId } : {}),
    ...(cand.expiredOnly ? { expiredOnly: true } : {}),
    ...(cand.wildcard ? { wildcard: true } : {}),
    ...(cand.openPorts ? { openPorts: [...cand.openPorts].sort((a, b) => a - b) } : {}),
    firstSeen: at,
    lastSeen: at,
  };
  const unlisted = (addresses: string[]): RawFinding => ({
    checkId: 'inventory.unlisted',
    host: cand.name,
    port: DISCOVERY_PORT,
    params: {
      name: cand.name,
      addresses: addresses.join(', ') || '—',
      sources: base.sources.join(', '),
      firstSeen: at.slice(0, 10),
    },
  });
  if (isIP(cand.name) !== 0) {
    const known = assetId !== undefined;
    const addresses = [cand.name];
    return {
      name: { ...base, class: known ? 'known' : 'new', addresses, cnames: [] },
      findings: known ? [] : [unlisted(addresses)],
      checks: { 'inventory.unlisted': known ? 'pass' : 'fail' },
    };
  }
  const r = await resolveChain(cand.name, c.resolver, c.timeoutMs);
  if (r.status !== 'observed') {
    const detail = failureText(c.lang, r);
    return {
      name: { ...base, class: assetId ? 'known' : 'unresolved', addresses: [], cnames: [], detail },
      findings: [],
      checks: { 'inventory.unlisted': 'error', 'dns.takeover.possible': 'error' },
    };
  }
  const { rcode, addresses, cnames } = r.value;
  const target = cnames.at(-1);
  const checks: Record<string, StoredCheckStatus> = {};
  if (target !== undefined) {
    const provider = judgeTakeover({ target, targetRcode: rcode }, providers);
    let verdict = provider;
    if (
      provider.verdict === 'undetermined' &&
      provider.because === 'http-not-observed' &&
      addresses[0] !== undefined
    ) {
      const page = await httpGet(
        { host: cand.name, address: addresses[0], port: httpPort },
        { scheme: 'http', path: '/', timeoutMs: c.timeoutMs, maxBodyBytes: 64 * 1024 },
      );
      if (page.status === 'observed')
        verdict = judgeTakeover(
          { target, targetRcode: rcode, http: { status: page.value.status, body: page.value.body } },
          providers,
        );
    }
    if (verdict.verdict === 'dangling') {
      const p = verdict.provider;
      return {
        name: {
          ...base,
          class: 'dangling',
          addresses,
          cnames,
          takeover: { provider: p.id, providerName: p.name, rule: verdict.rule, claimable: p.takeover },
        },
        findings: [
          {
            checkId: 'dns.takeover.possible',
            host: cand.name,
            port: DISCOVERY_PORT,
            ...(assetId ? { assetId } : {}),
            params: {
              name: cand.name,
              target,
              provider: p.name,
              rule: verdict.rule === 'nxdomain' ? 'NXDOMAIN' : 'HTTP',
              claimable: p.takeover,
            },
            ...(p.takeover ? {} : { severity: 'high' as const }),
          },
        ],
        checks: { 'dns.takeover.possible': 'fail', ...(assetId ? {} : { 'inventory.unlisted': 'pass' }) },
      };
    }
    checks['dns.takeover.possible'] = verdict.verdict === 'undetermined' ? 'error' : 'pass';
  } else checks['dns.takeover.possible'] = 'pass';
  const resolves = rcode === 'NOERROR' && addresses.length > 0;
  if (assetId !== undefined) {
    return {
      name: { ...base, class: 'known', addresses, cnames },
      findings: [],
      checks: { ...checks, 'inventory.unlisted': 'pass' },
    };
  }
  if (!resolves) {
    return {
      name: {
        ...base,
        class: 'unresolved',
        addresses,
        cnames,
        detail: rcode === 'NOERROR' ? say(c, 'texts2.discover.no-address') : rcode,
      },
      findings: [],
      checks: { ...checks, 'inventory.unlisted': 'pass' },
    };
  }
  return {
    name: { ...base, class: 'new', addresses, cnames },
    findings: [unlisted(addresses)],
    checks: { ...checks, 'inventory.unlisted': 'fail' },
  };
}

const ALL_SOURCES: readonly DiscoverySource[] = ['ct', 'dns', 'axfr', 'network'];

/**
 * `vigie discover`: names from Certificate Transparency, DNS (with an AXFR attempt per server) and
 * the declared networks, each resolved and classified against the inventory; findings saved as a
 * `discovery` run (never a report's latest scan), names kept with first/last seen.
 */
export async function discoverNames(ctx: AppContext, req: DiscoverRequest): Promise<DiscoverResult> {
  const config =
    req.domains === undefined || fs.existsSync(req.inventoryFile) ? loadConfig(req.inventoryFile) : undefined;
  const inventory = inventoryNames(config);
  const domains = [
    ...new Set(
      (req.domains ?? (config?.assets ?? []).flatMap((a) => (a.domains ?? []).map((d) => d.name))).map(
        normaliseDnsName,
      ),
    ),
  ];
  for (const d of domains)
    if (!isDiscoverableName(d))
      throw new UsageError(msg('texts2.discover.bad-domain', { domain: d }), {
        hint: msg('texts2.discover.bad-domain.hint'),
      });
  const networks = [...(req.networks ?? config?.discovery?.networks ?? [])];
  const sources = new Set(req.sources ?? ALL_SOURCES.filter((s) => s !== 'network' || networks.length > 0));
  if (domains.length === 0 && !(sources.has('network') && networks.length > 0))
    throw new UsageError(msg('texts2.discover.no-domain'), { hint: msg('texts2.discover.no-domain.hint') });
  let resolver: DnsServerAddress;
  try {
    const text = req.resolver ?? config?.dns?.resolver;
    resolver = text === undefined ? systemResolver() : parseResolverAddress(text);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const c: Ctx = {
    lang: ctx.lang,
    resolver,
    timeoutMs: req.timeoutMs ?? config?.scan?.timeoutMs ?? DISCOVERY_DEFAULTS.timeoutMs,
    concurrency: req.concurrency ?? DISCOVERY_DEFAULTS.concurrency,
    nameserverPort: req.nameserverPort ?? DISCOVERY_DEFAULTS.nameserverPort,
  };
  const providers = req.providers ?? loadTakeoverCatalogue(TAKEOVER_FILE).providers;
  const words = sources.has('dns') ? loadWordlist(req.wordlistFile ?? config?.discovery?.wordlist) : [];
  const library = loadCheckLibrary(config);
  const ctUrl = req.ctUrl ?? config?.discovery?.certificateTransparency.url ?? DEFAULT_CT_URL;
  const ctLimits = { ...DEFAULT_CT_LIMITS, ...req.ctLimits };
  const axfrLimits = { ...DEFAULT_AXFR_LIMITS, ...req.axfrLimits };

  const started = ctx.clock.now();
  const at = started.toISOString();
  const found = new Candidates(DISCOVERY_DEFAULTS.maxNames);
  const reports: SourceReport[] = [];
  const zones = new Map<string, ZoneChecks>();

  for (const domain of domains) {
    const zone: ZoneChecks = { findings: [], checks: {} };
    zones.set(domain, zone);
    if (sources.has('ct')) {
      const ct = await fetchCtEntries(ctUrl, domain, {
        ...ctLimits,
        timeoutMs: req.ctLimits?.timeoutMs ?? ctLimits.timeoutMs,
      });
      if (ct.status === 'observed') {
        const names = foldCtNames(ct.value, domain, started);
        for (const n of names)
          found.add(n.name, domain, 'ct', {
            expiredOnly: n.expiredOnly,
            ...(n.wildcard ? { wildcard: true } : {}),
          });
        reports.push({ source: 'ct', domain, status: 'ok', names: names.length });
      } else
        reports.push({
          source: 'ct',
          domain,
          status: 'failed',
          reason: ct.status === 'error' ? ct.reason : 'skipped',
          detail: failureText(c.lang, ct),
        });
    }
    if (!sources.has('dns') && !sources.has('axfr')) continue;
    const ns = await nameServers(domain, c);
    if ('error' in ns) {
      for (const s of ['dns', 'axfr'] as const)
        if (sources.has(s))
          reports.push({ source: s, domain, status: 'failed', reason: 'dns', detail: ns.error });
      continue;
    }
    if (sources.has('dns')) {
      reports.push(await dnsSource(domain, words, ns.names, c, found));
      await lameCheck(domain, ns.names, c, zone);
    }
    if (sources.has('axfr')) reports.push(await axfrSource(domain, ns.names, c, axfrLimits, found, zone));
  }
  if (sources.has('network')) {
    const ports = req.sweepPorts ?? defaultPorts(library.services);
    const sweep = {
      ...DISCOVERY_DEFAULTS.sweep,
      ...(config?.discovery?.sweepRate === undefined ? {} : { ratePerSecond: config.discovery.sweepRate }),
      ...req.sweep,
    };
    for (const cidr of networks) reports.push(await networkSource(cidr, ports, c, sweep, found));
  }
  if (found.dropped > 0)
    reports.push({
      source: 'ct',
      domain: domains.join(', '),
      status: 'failed',
      reason: 'protocol-error',
      detail: say(c, 'texts2.discover.too-many-names', {
        count: found.dropped,
        max: DISCOVERY_DEFAULTS.maxNames,
      }),
    });

  // Names seen before under these domains are looked at again: a name gone is how a finding resolves.
  const previous = await readPreviousNames(ctx, domains);
  for (const p of previous) if (!found.byName.has(p.name)) found.add(p.name, p.domain, p.sources[0] ?? 'dns');

  const classified = await mapConcurrently([...found.byName.values()], c.concurrency, (cand) =>
    classify(cand, inventory, providers, c, req.httpPort ?? DISCOVERY_DEFAULTS.httpPort, at),
  );
  const finished = ctx.clock.now();

  // One stored endpoint per (host, 53): the name's checks, and the zone's for a domain apex.
  const endpoints = new Map<string, StoredEndpoint>();
  const endpointOf = (host: string): StoredEndpoint => {
    let e = endpoints.get(host);
    if (e === undefined) {
      e = { host, port: DISCOVERY_PORT, status: 'assessed', checks: {} };
      endpoints.set(host, e);
    }
    return e;
  };
  for (const k of classified) {
    const e = endpointOf(k.name.name);
    Object.assign(e.checks, k.checks);
    if (k.name.assetId) e.assetId = k.name.assetId;
  }
  for (const [domain, zone] of zones) Object.assign(endpointOf(domain).checks, zone.checks);
  const raw = [...classified.flatMap((k) => k.findings), ...[...zones.values()].flatMap((z) => z.findings)];

  const runId = newRunId(started);
  const { catalogue } = library;
  const stored: StoredRunInput = {
    id: runId,
    kind: 'discovery',
    startedAt: at,
    finishedAt: finished.toISOString(),
    scoringVersion: 'discovery-1',
    targets: [...domains, ...(sources.has('network') ? networks : [])],
    endpoints: [...endpoints.values()].filter((e) => Object.keys(e.checks).length > 0),
    findings: raw.map((f) => storedFindingOf(fingerprintOf(f), f, catalogue)),
  };
  const inputs: DiscoveredNameInput[] = classified.map((k) => {
    const { name, domain, class: cls, sources: srcs, firstSeen: _f, lastSeen: _l, ...details } = k.name;
    return { name, domain, class: cls, sources: srcs, details };
  });
  const saved = await persist(ctx, stored, inputs, req.save);
  const findingSeen = new Map(saved.findings.map((r) => [r.fingerprint, r]));
  const nameSeen = new Map(saved.names.map((r) => [r.name, r]));
  const names = classified
    .map((k) => {
      const rec = nameSeen.get(k.name.name);
      return rec
        ? { ...k.name, sources: rec.sources, firstSeen: rec.firstSeen, lastSeen: rec.lastSeen }
        : k.name;
    })
    .sort((a, b) => a.domain.localeCompare(b.domain) || a.name.localeCompare(b.name));
  const findings = raw
    .map((f) => {
      const fp = fingerprintOf(f);
      const rec = findingSeen.get(fp);
      return materializeFinding(
        f,
        metaOf(catalogue, f.checkId),
        fp,
        rec ? { firstSeen: rec.firstSeen, lastSeen: rec.lastSeen } : { firstSeen: at, lastSeen: at },
        ctx.lang,
      );
    })
    .sort(compareFindings);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity] += 1;
  const count = (cls: DiscoveryClass): number => names.filter((n) => n.class === cls).length;
  return {
    run: { id: runId, kind: 'discovery', startedAt: at, finishedAt: stored.finishedAt, saved: req.save },
    domains,
    sources: reports,
    summary: {
      names: names.length,
      known: count('known'),
      new: count('new'),
      dangling: count('dangling'),
      unresolved: count('unresolved'),
      findings: findings.length,
      bySeverity,
    },
    names,
    findings,
  };
}

async function readPreviousNames(
  ctx: AppContext,
  domains: readonly string[],
): Promise<DiscoveredNameRecord[]> {
  if (!hasDataStore(ctx) || domains.length === 0) return [];
  const store = await openAppStore(ctx);
  try {
    return (await store.discovery.list()).filter((n) => domains.includes(n.domain));
  } finally {
    await store.close();
  }
}

async function persist(
  ctx: AppContext,
  run: StoredRunInput,
  names: readonly DiscoveredNameInput[],
  save: boolean,
): Promise<{ findings: FindingRecord[]; names: DiscoveredNameRecord[] }> {
  if (!save && !hasDataStore(ctx)) return { findings: [], names: [] };
  const store = await openAppStore(ctx);
  try {
    if (save) return await store.discovery.saveRun(run, names);
    return {
      findings: await store.runs.preview(run),
      names: await store.discovery.preview(run.startedAt, run.id, names),
    };
  } finally {
    await store.close();
  }
}
