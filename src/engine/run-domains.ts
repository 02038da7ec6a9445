import type { X509Certificate } from 'node:crypto';
import pLimit from 'p-limit';
import {
  isDmarcRecord,
  isSpfRecord,
  parseMtaStsPolicy,
  type DnsServerAddress,
  type DomainObservation,
  type DomainTarget,
  type EndpointResult,
  type ErrorReason,
  type Outcome,
} from '../domain/index.js';
import { formatResolverAddress, observeDomain } from '../probes/dns/index.js';
import { runChecks, type CheckVerdict } from './check.js';
import { dnsPlugin } from './plugins.js';
import type { PlannedEndpoint } from './plan.js';
import type { EngineResult } from './run-scan.js';

/** Domain results carry this port: their facts are published over DNS. */
export const DOMAIN_PORT = 53;
/** The SMTP port of MX hosts. */
export const SMTP_PORT = 25;

export interface DomainRunOptions {
  resolver: DnsServerAddress;
  validating: boolean;
  timeoutMs: number;
  trustAnchors: readonly X509Certificate[];
  /** Ports of the MTA-STS policy server and of the MX hosts (other values only for the demo and tests). */
  mtaStsPort?: number;
  smtpPort?: number;
  /** Domains assessed at once. */
  concurrency: number;
  onDomainDone?: (domain: string) => void;
}

const LOOKUPS = ['spf', 'dmarc', 'mx', 'mtaSts', 'tlsRpt', 'caa', 'dnssec'] as const;

/** Every lookup that could not be made, with the record it concerned. */
function failedLookups(obs: DomainObservation): { key: string; reason: ErrorReason; detail: string }[] {
  const out: { key: string; reason: ErrorReason; detail: string }[] = [];
  const add = (key: string, o: Outcome<unknown>) => {
    if (o.status === 'error') out.push({ key, reason: o.reason, detail: o.detail });
  };
  for (const key of LOOKUPS) add(key, obs[key]);
  for (const d of obs.dkim) add(`dkim:${d.selector}`, d.records);
  return out;
}

function summary(obs: DomainObservation): NonNullable<EndpointResult['dns']> {
  const out: NonNullable<EndpointResult['dns']> = {};
  if (obs.spf.status === 'observed') {
    const spf = obs.spf.value.records.find(isSpfRecord);
    if (spf) out.spf = spf;
  }
  if (obs.dmarc.status === 'observed') {
    const dmarc = obs.dmarc.value.find(isDmarcRecord);
    if (dmarc) out.dmarc = dmarc;
  }
  if (obs.mx.status === 'observed') out.mx = obs.mx.value.hosts.map((h) => `${h.preference} ${h.exchange}`);
  if (obs.caa.status === 'observed') {
    out.caa = obs.caa.value.records
      .filter((r) => r.tag === 'issue' || r.tag === 'issuewild')
      .map((r) => r.value);
  }
  if (obs.dnssec.status === 'observed') {
    const { signed, validation } = obs.dnssec.value;
    out.dnssec =
      validation === 'bogus' || validation === 'validated' || (signed && validation === 'not-validated')
        ? validation
        : signed
          ? 'signed'
          : 'unsigned';
  }
  if (obs.mtaSts.status === 'observed' && obs.mtaSts.value.policy?.status === 'observed') {
    const mode = parseMtaStsPolicy(obs.mtaSts.value.policy.value.body).mode;
    if (mode) out.mtaSts = mode;
  }
  return out;
}

/** Evaluates one domain's observation into its result and findings. */
function settle(
  target: DomainTarget,
  obs: DomainObservation,
  resolver: string,
  into: EngineResult,
): EndpointResult {
  const result: EndpointResult = {
    host: target.domain,
    port: DOMAIN_PORT,
    ...(target.assetId ? { assetId: target.assetId } : {}),
    status: 'assessed',
    checks: {},
  };
  const push = (checkId: string, verdict: CheckVerdict) => {
    result.checks[checkId] = verdict.status;
    if (verdict.status !== 'fail') return;
    for (const f of verdict.findings) {
      into.findings.push({
        checkId,
        host: target.domain,
        port: DOMAIN_PORT,
        ...(target.assetId ? { assetId: target.assetId } : {}),
        ...(f.key === undefined ? {} : { key: f.key }),
        ...(f.severity === undefined ? {} : { severity: f.severity }),
        params: f.params,
      });
    }
  };
  runChecks(dnsPlugin.checks({}), obs, { resolver }, push);

  // A timeout or SERVFAIL is "could not tell", never "missing": each one is a scan-health finding.
  const failures = failedLookups(obs);
  const observedAny = failures.length < LOOKUPS.length + obs.dkim.length;
  if (obs.spf.status === 'observed') {
    // The targets of `a`, `mx` and `exists` terms: unanswered, void lookups cannot be counted.
    for (const [question, answer] of Object.entries(obs.spf.value.targets)) {
      if (answer?.status === 'error') {
        failures.push({ key: `spf:${question}`, reason: answer.reason, detail: answer.detail });
      }
    }
  }
  if (obs.mx.status === 'observed') {
    for (const host of obs.mx.value.hosts.filter((h) => h.addresses.length === 0)) {
      failures.push({
        key: `mx:${host.exchange}`,
        reason: 'dns',
        detail: `le serveur MX ${host.exchange} n’a pas d’adresse (A/AAAA) chez le résolveur ${resolver} : le courriel ne peut pas lui être remis`,
      });
    }
  }
  if (failures.length === 0) {
    result.checks['scan.timeout'] = 'pass';
    result.checks['scan.error'] = 'pass';
  } else {
    for (const id of ['scan.timeout', 'scan.error'] as const) {
      const mine = failures.filter((f) => (f.reason === 'timeout') === (id === 'scan.timeout'));
      push(
        id,
        mine.length === 0
          ? { status: 'pass' }
          : {
              status: 'fail',
              findings: mine.map((f) => ({ key: f.key, params: { reason: f.reason, detail: f.detail } })),
            },
      );
    }
    if (!observedAny) {
      const first = failures.find((f) => f.reason === 'timeout') ?? failures[0]!;
      result.status = first.reason === 'timeout' ? 'timeout' : 'error';
      result.reason = first.reason;
      result.detail = first.detail;
    } else {
      result.errors = failures.map((f) => ({
        category: `dns:${f.key}`,
        postureCategory: 'dns',
        reason: f.reason,
        detail: f.detail,
      }));
    }
  }
  result.dns = summary(obs);
  return result;
}

/**
 * Assesses each domain (DNS and mail records), adds its result and findings, and returns the MX
 * hosts to assess next (SMTP on port 25, STARTTLS, then the TLS checks), once each.
 */
export async function assessDomains(
  domains: readonly DomainTarget[],
  opts: DomainRunOptions,
  into: EngineResult,
): Promise<PlannedEndpoint[]> {
  const resolver = formatResolverAddress(opts.resolver);
  const limit = pLimit(Math.max(1, opts.concurrency));
  const mx = new Map<string, PlannedEndpoint>();
  await Promise.all(
    domains.map((target) =>
      limit(async () => {
        const obs = await observeDomain(target.domain, target.dkimSelectors, {
          resolver: opts.resolver,
          validating: opts.validating,
          timeoutMs: opts.timeoutMs,
          trustAnchors: opts.trustAnchors,
          ...(opts.mtaStsPort === undefined ? {} : { mtaStsPort: opts.mtaStsPort }),
        });
        into.endpoints.push(settle(target, obs, resolver, into));
        if (obs.mx.status === 'observed') {
          for (const host of obs.mx.value.hosts) {
            const address = host.addresses[0];
            if (mx.has(host.exchange) || address === undefined) continue;
            mx.set(host.exchange, {
              endpoint: {
                host: host.exchange,
                address,
                port: opts.smtpPort ?? SMTP_PORT,
                ...(target.assetId ? { assetId: target.assetId } : {}),
                starttls: 'smtp',
              },
              tls: false,
              smtp: true,
              customHttp: [],
              customTcp: [],
            });
          }
        }
        opts.onDomainDone?.(target.domain);
      }),
    ),
  );
  return [...mx.values()];
}
