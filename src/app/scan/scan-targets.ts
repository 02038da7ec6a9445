import fs from 'node:fs';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import {
  fingerprintOf,
  parseTarget,
  SCORING_VERSION,
  SEVERITIES,
  type DomainTarget,
  type Endpoint,
  type Finding,
  type EndpointResult,
  type RawFinding,
  type ScanResult,
  type Severity,
} from '../../domain/index.js';
import { inventoryDomains, inventoryEndpoints, loadConfig, type VigieConfig } from '../../config/index.js';
import { parseResolverAddress, systemResolver } from '../../probes/dns/index.js';
import { defaultPorts, planEndpoints, runScan, type ScanCategory } from '../../engine/index.js';
import { computePosture } from '../../grading/index.js';
import { inventoryIndex } from '../shared/inventory-index.js';
import { postureEndpoints } from '../shared/posture-endpoints.js';
import type { StoredEndpointFacts } from '../shared/stored-facts.js';
import {
  openStore,
  storeExists,
  type FindingRecord,
  type Store,
  type StoredRunInput,
} from '../../store/index.js';
import type { AppContext } from '../shared/context.js';
import { loadCheckLibrary } from '../shared/check-library.js';
import { compareFindings, materializeFinding, metaOf } from '../shared/materialize-findings.js';
import { buildTrustAnchors } from '../shared/trust-store.js';
import { tlsProfilesFor } from '../shared/tls-profiles.js';

export const DEFAULTS = { timeoutMs: 5000, concurrency: 32, expiryDays: 30 } as const;

export interface ScanRequest {
  /** Ad-hoc targets; empty means the inventory. */
  targets: readonly string[];
  inventoryFile: string;
  /** True when the user named the inventory file (then it must exist even with targets). */
  inventoryExplicit?: boolean;
  caFiles: readonly string[];
  categories: readonly ScanCategory[];
  timeoutMs?: number;
  concurrency?: number;
  expiryDays?: number;
  save: boolean;
  /** Extra trust anchors given programmatically (the demo estate's CA). */
  trustAnchors?: readonly X509Certificate[];
  /** Pre-built endpoints (the demo estate), instead of targets or inventory. */
  endpoints?: readonly Endpoint[];
  /** Pre-built domains (the demo estate); otherwise the inventory's, or the bare-host targets with `adHocDomains`. */
  domains?: readonly DomainTarget[];
  /** The user asked for `--only dns` explicitly: bare-host targets are domains too. */
  adHocDomains?: boolean;
  /** Resolver for the DNS checks (`address[:port]`), instead of `dns.resolver` or the system's. */
  resolver?: string;
  /** The resolver validates DNSSEC, instead of `dns.validating`. */
  validatingResolver?: boolean;
  /** MX and MTA-STS servers on other ports than 25 and 443 (the demo estate and the tests only). */
  mailPorts?: { smtp: number; mtaSts: number };
  /** Where plain HTTP of a host listens instead of 80, for the HTTP grade's redirection test (the demo estate only). */
  plainHttpPort?: number;
  /** TLS policy profiles (`NAME[@VERSION]`) for every endpoint, instead of those of vigie.yml. */
  profiles?: readonly string[];
  onProgress?: (done: number, total: number, endpoint: Endpoint) => void;
}

function newRunId(at: Date): string {
  return `${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/** A bare host is scanned on its web ports and the risky-service ports; `host:port` and URLs on that port. */
function targetEndpoints(targets: readonly string[], bareHostPorts: readonly number[]): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const input of targets) {
    const t = parseTarget(input);
    const ports = t.port === undefined ? bareHostPorts : [t.port];
    for (const port of ports) {
      const key = `${t.host}|${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        host: t.host,
        port,
        ...(t.port === undefined ? { implicit: true } : {}),
        ...(t.scheme === 'https' && t.path ? { path: t.path } : {}),
      });
    }
  }
  return out;
}

/** Bare-host targets (no port, no URL) as domains for the DNS and mail checks. */
function targetDomains(targets: readonly string[]): DomainTarget[] {
  const seen = new Set<string>();
  const out: DomainTarget[] = [];
  for (const input of targets) {
    const t = parseTarget(input);
    const domain = t.host.toLowerCase().replace(/\.$/, '');
    if (t.port !== undefined || t.scheme !== undefined || isIP(domain) !== 0 || seen.has(domain)) continue;
    seen.add(domain);
    out.push({ domain, dkimSelectors: [] });
  }
  return out;
}

/** Scans targets, the inventory or given endpoints; saves the run unless asked not to. */
export async function scanTargets(ctx: AppContext, req: ScanRequest): Promise<ScanResult> {
  const useInventory = !req.endpoints && req.targets.length === 0;
  const config: VigieConfig | undefined =
    useInventory || req.inventoryExplicit || fs.existsSync(req.inventoryFile)
      ? loadConfig(req.inventoryFile)
      : undefined;
  const library = loadCheckLibrary(config);
  const { catalogue } = library;
  const ports = defaultPorts(library.services);
  const endpoints = req.endpoints
    ? [...req.endpoints]
    : useInventory && config
      ? inventoryEndpoints(config, ports)
      : targetEndpoints(req.targets, ports);
  const domains: readonly DomainTarget[] = !req.categories.includes('dns')
    ? []
    : (req.domains ??
      (useInventory && config
        ? inventoryDomains(config)
        : req.adHocDomains
          ? targetDomains(req.targets)
          : []));
  const resolverText = req.resolver ?? config?.dns?.resolver;
  const trustAnchors = [
    ...buildTrustAnchors([...req.caFiles, ...(config?.trust?.caFiles ?? [])]),
    ...(req.trustAnchors ?? []),
  ];
  const plan = planEndpoints(endpoints, {
    categories: req.categories,
    services: library.services,
    customChecks: library.customChecks,
    adHoc: !useInventory,
  });

  const tlsProfiles = tlsProfilesFor(config, req.profiles ?? [], ctx.lang);
  const started = ctx.clock.now();
  const engine = await runScan(plan, {
    ...(tlsProfiles ? { tlsProfiles } : {}),
    timeoutMs: req.timeoutMs ?? config?.scan?.timeoutMs ?? DEFAULTS.timeoutMs,
    concurrency: req.concurrency ?? config?.scan?.concurrency ?? DEFAULTS.concurrency,
    expiryDays: req.expiryDays ?? config?.scan?.certificateExpiryDays ?? DEFAULTS.expiryDays,
    trustAnchors,
    services: library.serviceCatalogue,
    now: () => ctx.clock.now(),
    lang: ctx.lang,
    ...(req.plainHttpPort === undefined ? {} : { plainHttpPort: req.plainHttpPort }),
    ...(domains.length > 0
      ? {
          domains: {
            targets: domains,
            resolver: resolverText === undefined ? systemResolver() : parseResolverAddress(resolverText),
            validating: req.validatingResolver ?? config?.dns?.validating ?? false,
            ...(req.mailPorts ? { smtpPort: req.mailPorts.smtp, mtaStsPort: req.mailPorts.mtaSts } : {}),
          },
        }
      : {}),
    ...(req.onProgress ? { onEndpointDone: req.onProgress } : {}),
  });
  const finished = ctx.clock.now();

  const runId = newRunId(started);
  const stored: StoredRunInput = {
    id: runId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    scoringVersion: SCORING_VERSION,
    targets: req.endpoints
      ? endpoints.map((e) => `${e.host}:${e.port}`)
      : useInventory
        ? ['inventory']
        : [...req.targets],
    endpoints: engine.endpoints.map((e) => ({
      host: e.host,
      port: e.port,
      ...(e.assetId ? { assetId: e.assetId } : {}),
      status: e.status,
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.detail ? { detail: e.detail } : {}),
      checks: e.checks,
      facts: endpointFacts(e),
    })),
    findings: uniqueByFingerprint(engine.findings).map(([fingerprint, f]) => {
      const meta = metaOf(catalogue, f.checkId);
      return {
        fingerprint,
        checkId: f.checkId,
        severity: f.severity ?? meta.severity,
        category: meta.category,
        host: f.host,
        port: f.port,
        ...(f.assetId ? { assetId: f.assetId } : {}),
        ...(f.key === undefined ? {} : { key: f.key }),
        details: f.params,
      };
    }),
  };

  // The posture of this run: open findings of the run, waived ones (as known now) left out.
  const records = persist(ctx.dataDir, stored, req.save, (store) => {
    // The posture of this run: its findings, minus those under a waiver in force (as known now).
    const waived = new Set(
      (store?.findings.list({ status: ['waived'], now: stored.startedAt }) ?? []).map((f) => f.fingerprint),
    );
    stored.posture = computePosture(
      postureEndpoints({
        endpoints: engine.endpoints.map((e) => ({ ...e, assessed: e.status === 'assessed' })),
        findings: stored.findings.map((f) => ({ ...f, waived: waived.has(f.fingerprint) })),
        inventory: inventoryIndex(config),
      }),
    );
  });
  const byFingerprint = new Map(records.map((r) => [r.fingerprint, r]));
  const findings: Finding[] = uniqueByFingerprint(engine.findings)
    .map(([fingerprint, raw]) => {
      const rec = byFingerprint.get(fingerprint);
      const seen = rec
        ? { firstSeen: rec.firstSeen, lastSeen: rec.lastSeen }
        : { firstSeen: stored.startedAt, lastSeen: stored.startedAt };
      return materializeFinding(raw, metaOf(catalogue, raw.checkId), fingerprint, seen, ctx.lang);
    })
    .sort(compareFindings);

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity] += 1;
  return {
    run: {
      id: runId,
      startedAt: stored.startedAt,
      finishedAt: stored.finishedAt,
      scoringVersion: SCORING_VERSION,
      targets: stored.targets,
      saved: req.save,
    },
    summary: {
      endpoints: engine.endpoints.length,
      assessed: engine.endpoints.filter((e) => e.status === 'assessed').length,
      findings: findings.length,
      bySeverity,
    },
    endpoints: [...engine.endpoints].sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port),
    findings,
    ...(stored.posture ? { posture: stored.posture } : {}),
  };
}

function uniqueByFingerprint(findings: readonly RawFinding[]): [string, RawFinding][] {
  const map = new Map<string, RawFinding>();
  for (const f of findings) map.set(fingerprintOf(f), f);
  return [...map.entries()];
}

/** What reports need later about an endpoint, beyond its check verdicts. */
function endpointFacts(e: EndpointResult): StoredEndpointFacts {
  return {
    ...(e.tls ? { tls: e.tls } : {}),
    ...(e.http ? { http: e.http } : {}),
    ...(e.service ? { service: e.service } : {}),
    ...(e.dns ? { dns: e.dns } : {}),
    ...(e.smtp ? { smtp: e.smtp } : {}),
    ...(e.closed ? { closed: true } : {}),
    // The families that failed: the report's posture leaves those parts unevaluated too.
    ...(e.errors ? { errors: e.errors } : {}),
  };
}

/**
 * Saves the run (one transaction), or only previews first/last seen dates with --no-save; the store
 * is opened once, and `beforeSave` completes the run from it (posture with today's waivers).
 */
function persist(
  dataDir: string,
  run: StoredRunInput,
  save: boolean,
  beforeSave: (store: Store | undefined) => void,
): FindingRecord[] {
  if (!save && !storeExists(dataDir)) {
    beforeSave(undefined);
    return [];
  }
  const store = openStore(dataDir);
  try {
    beforeSave(store);
    return save ? store.runs.save(run) : store.runs.preview(run);
  } finally {
    store.close();
  }
}
