import { isIP } from 'node:net';
import { z } from 'zod';
import { cronExpressionProblem } from '../cron/index.js';
import { said } from './schema-texts.js';
import {
  CRITICALITIES,
  MAX_NETWORK_ADDRESSES,
  SEVERITIES,
  isValidTimeZone,
  parseIpv4Cidr,
} from '../domain/index.js';

/**
 * The shape of `vigie.yml`. Its keys are a contract (see DESIGN.md): add keys, never rename them.
 * Every object is strict, so a misspelt key is reported instead of silently ignored.
 */

export { CRITICALITIES, type Criticality } from '../domain/index.js';

export const LANGUAGES = ['fr', 'en'] as const;

export const DEFAULT_SCHEDULE = {
  scan: '0 2 * * *',
  digest: '0 8 * * 1',
  certificateAlerts: '0 7 * * *',
  /** Weekly, Sunday night: the Monday digest then lists what it found. */
  discovery: '0 3 * * 0',
} as const;

const PORT_MESSAGE = said('errlang.config.port');
const ID_MESSAGE = said('errlang.config.asset-id');
const HOST_MESSAGE = said('errlang.config.host');
const DOMAIN_MESSAGE = said('errlang.config.domain');
const ADDRESS_MESSAGE = said('errlang.config.address');

const ASSET_ID = /^[a-z0-9][a-z0-9._-]*$/;
const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

/** A host name as DNS allows it; an all-digit last label is refused, so `203.0.113.999` is not a name. */
export function isDnsName(value: string): boolean {
  if (value.length > 253 || !DNS_NAME.test(value)) return false;
  return !/^\d+$/.test(value.slice(value.lastIndexOf('.') + 1));
}

/** `ip`, `ipv4:port` or `[ipv6]:port`. */
function isResolver(value: string): boolean {
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(value);
  if (bracketed) return isIP(bracketed[1] ?? '') === 6 && isPortNumber(Number(bracketed[2]));
  if (isIpAddress(value)) return true;
  const withPort = /^([^:]+):(\d{1,5})$/.exec(value);
  return withPort !== null && isIP(withPort[1] ?? '') === 4 && isPortNumber(Number(withPort[2]));
}

function isPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** `vigie@exemple.fr` or `Nom <vigie@exemple.fr>`. */
function isMailbox(value: string): boolean {
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
  return z.regexes.email.test(address.trim());
}

const text = z
  .string()
  .trim()
  .min(1, { error: said('errlang.schema.empty') });

const port = z
  .int({ error: (iss) => (iss.input === undefined ? undefined : PORT_MESSAGE) })
  .min(1)
  .max(65535);

const hostName = text.refine((v) => isDnsName(v) || isIpAddress(v), { error: HOST_MESSAGE });
const ipAddress = text.refine(isIpAddress, { error: ADDRESS_MESSAGE });
const domainName = text.refine(isDnsName, { error: DOMAIN_MESSAGE });
const email = z.email({ error: said('errlang.schema.format.email') });
/** Read by the daemon's own cron library, so a schedule that validates is one the daemon runs. */
const cron = z.string().superRefine((expression, ctx) => {
  const problem = cronExpressionProblem(expression);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const hostObject = z.strictObject(
  { name: hostName, address: ipAddress.optional() },
  {
    error: (iss) =>
      iss.code === 'invalid_type' && iss.input !== undefined ? said('errlang.config.host-entry') : undefined,
  },
);

const dkimSelector = z
  .string()
  .regex(/^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*$/, {
    error: said('errlang.config.dkim'),
  });

const domainObject = z.strictObject(
  {
    name: domainName,
    /** DKIM selectors whose keys are checked at `<selector>._domainkey.<name>`. */
    dkimSelectors: z.array(dkimSelector).default([]),
  },
  {
    error: (iss) =>
      iss.code === 'invalid_type' && iss.input !== undefined
        ? said('errlang.config.domain-entry')
        : undefined,
  },
);

/** A domain is written either as a plain name or as `{ name, dkimSelectors }`. */
const domainEntry = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  domainObject,
);

/** A host is written either as a plain name or as `{ name, address }`; both become `{ name, address? }`. */
const hostEntry = z.preprocess((value) => (typeof value === 'string' ? { name: value } : value), hostObject);

/** A TLS policy profile named `NAME[@VERSION]` (checks/profiles/), or several. */
const profileRefs = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z
    .array(
      z.string().regex(/^[a-z0-9][a-z0-9-]*(@\d+(\.\d+)*)?$/, {
        error: said('texts2.config.profile-ref'),
      }),
    )
    .min(1)
    .max(8),
);

export const assetSchema = z
  .strictObject({
    id: z.string().regex(ASSET_ID, { error: ID_MESSAGE }),
    name: text,
    owner: text,
    criticality: z.enum(CRITICALITIES),
    /** Hosts scanned on their ports; absent or empty for an asset that is only a (mail) domain. */
    hosts: z.array(hostEntry).default([]),
    /** Ports to scan; absent: the caller's defaults (web ports and the risky-service catalogue). */
    ports: z.array(port).optional(),
    /** Services meant to be public (`https`, `ssh` …). */
    expose: z.array(text).optional(),
    /** Domains for the DNS and mail checks, with the DKIM selectors to verify. */
    domains: z.array(domainEntry).optional(),
    certificateAlertDays: z.array(z.int().positive()).optional(),
    description: z.string().optional(),
    /** TLS policy profiles of this asset's endpoints, instead of the organisation's. */
    profile: profileRefs.optional(),
  })
  .refine((asset) => asset.hosts.length > 0 || (asset.domains ?? []).length > 0, {
    error: said('errlang.config.hosts-or-domains'),
  });

const organisationSchema = z.strictObject({
  name: text,
  language: z.enum(LANGUAGES).default('fr'),
  timezone: z
    .string()
    .refine(isValidTimeZone, { error: said('errlang.config.time-zone') })
    .default('Europe/Paris'),
  /** TLS policy profiles every asset is checked against unless it names its own. */
  profile: profileRefs.optional(),
});

const trustSchema = z.strictObject({
  /** Extra trust anchors (PEM), relative to the configuration file; `loadConfig` makes them absolute. */
  caFiles: z.array(text).default([]),
});

const scanSchema = z.strictObject({
  timeoutMs: z.int().min(100).max(120_000).default(5000),
  concurrency: z.int().min(1).max(1024).default(32),
  certificateExpiryDays: z.int().positive().default(30),
  /**
   * MX hosts and MTA-STS policy servers listening on other ports than 25 and 443 (a test estate such as
   * the demo's); absent: the standard ports.
   */
  mailPorts: z.strictObject({ smtp: port, mtaSts: port }).optional(),
  /** Where hosts serve plain HTTP instead of 80, for the HTTP grade's redirection test (a test estate). */
  plainHttpPort: port.optional(),
  /**
   * The TLS enumeration (suites per version, server order, groups, compression, renegotiation,
   * stapling): `full` on every TLS endpoint; `profiles` (default) only where a TLS profile is
   * checked, the others get one post-quantum hello; `off` never. What is not enumerated stays
   * « not observed » (profiles then say « not evaluated »).
   */
  tlsEnumeration: z.enum(['full', 'profiles', 'off']).default('profiles'),
});

const scheduleSchema = z.strictObject({
  scan: cron.default(DEFAULT_SCHEDULE.scan),
  digest: cron.default(DEFAULT_SCHEDULE.digest),
  certificateAlerts: cron.default(DEFAULT_SCHEDULE.certificateAlerts),
  discovery: cron.default(DEFAULT_SCHEDULE.discovery),
});

const mailSchema = z
  .strictObject({
    host: hostName,
    /** Default: 465 with `secure: true`, 587 otherwise. */
    port: port.optional(),
    /** true = implicit TLS; false = STARTTLS, required before anything is sent. */
    secure: z.boolean().default(false),
    /** Plain SMTP to a relay on the loopback, without authentication (the only STARTTLS opt-out). */
    allowPlaintextLoopback: z.boolean().default(false),
    /** SMTP user; the password comes from VIGIE_SMTP_PASSWORD only. */
    user: text.optional(),
    from: text.refine(isMailbox, { error: said('errlang.config.from') }),
    recipients: z
      .strictObject({
        managers: z.array(email).default([]),
        security: z.array(email).default([]),
      })
      .prefault({}),
  })
  .transform((mail) => ({ ...mail, port: mail.port ?? (mail.secure ? 465 : 587) }));

const githubSchema = z.strictObject({
  repository: z.string().regex(REPOSITORY, { error: said('errlang.config.repository') }),
  apiUrl: z
    .url({ protocol: /^https?$/, error: said('errlang.config.url') })
    .default('https://api.github.com'),
  /** Plain http to a loopback test server (the token then crosses the loopback in clear). */
  allowInsecureLoopback: z.boolean().default(false),
  minSeverity: z.enum(SEVERITIES).default('medium'),
  /** Prefix of the labels vigie puts on (and looks for in) the issues it manages. */
  labelPrefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$/, {
      error: said('errlang.config.label-prefix'),
    })
    .default('vigie'),
});

const dnsSchema = z.strictObject({
  resolver: z
    .string()
    .refine(isResolver, {
      error: said('errlang.config.resolver'),
    })
    .optional(),
  /**
   * The resolver validates DNSSEC (Unbound, BIND, Knot Resolver, public validating resolvers): a signed
   * zone answered without the AD bit, or only with checking disabled, is then reported.
   */
  validating: z.boolean().default(false),
});

const playbooksSchema = z.strictObject({
  /** The organisation's playbook library, relative to the configuration file; `loadConfig` makes it absolute. */
  dir: text,
});

const checksSchema = z.strictObject({
  /** Directories of custom checks, relative to the configuration file; `loadConfig` makes them absolute. */
  custom: z.array(text).default([]),
});

/** The crt.sh public API: the default Certificate Transparency source. */
export const DEFAULT_CT_URL = 'https://crt.sh';

const networkRange = z.string().superRefine((value, ctx) => {
  const range = parseIpv4Cidr(value);
  if (range === undefined) ctx.addIssue({ code: 'custom', message: said('texts2.config.network-range') });
  else if (range.size > MAX_NETWORK_ADDRESSES)
    ctx.addIssue({
      code: 'custom',
      message: said('texts2.config.network-too-large', { size: range.size, max: MAX_NETWORK_ADDRESSES }),
    });
});

const discoverySchema = z.strictObject({
  certificateTransparency: z
    .strictObject({
      /** A crt.sh-compatible API (`GET {url}/?q=%25.{domain}&output=json`). */
      url: z.url({ protocol: /^https?$/, error: said('errlang.config.url') }).default(DEFAULT_CT_URL),
    })
    .prefault({}),
  /** IPv4 ranges swept on the web and service ports (each at most a /22). */
  networks: z.array(networkRange).max(16).default([]),
  /** Connections the network sweep starts per second, at most (politeness; 200 by default). */
  sweepRate: z.int().min(1).max(5000).optional(),
  /** Extra names to try under each domain, one per line; relative to the configuration file. */
  wordlist: text.optional(),
});

/**
 * `store:` — where the history lives when it is shared: a PostgreSQL URL **without** its password
 * (the password comes from PGPASSWORD, ~/.pgpass or VIGIE_DATABASE_URL, never from this file).
 * Absent: the SQLite database of the data directory. VIGIE_DATABASE_URL wins over it.
 */
const storeSchema = z.strictObject({
  url: z.string().superRefine((value, ctx) => {
    let u: URL | undefined;
    try {
      u = /^postgres(ql)?:\/\//i.test(value) ? new URL(value) : undefined;
    } catch {
      u = undefined;
    }
    if (u === undefined) ctx.addIssue({ code: 'custom', message: said('storecopy.config.url') });
    else if (u.password !== '') ctx.addIssue({ code: 'custom', message: said('storecopy.config.password') });
  }),
});

/**
 * `distributed:` — limits of a fleet of workers (docs/distributed.md): connections open at once to
 * one address, whatever the number of workers (8 by default), and connections opened per second by
 * the whole fleet (none by default). VIGIE_FLEET_MAX_PER_TARGET and VIGIE_FLEET_RATE win over them.
 */
const distributedSchema = z.strictObject({
  maxPerTarget: z.int().min(1).max(1000).optional(),
  rate: z.number().positive().max(100_000).optional(),
});

export const vigieConfigSchema = z.strictObject(
  {
    organisation: organisationSchema,
    trust: trustSchema.prefault({}),
    assets: z.array(assetSchema).default([]),
    scan: scanSchema.prefault({}),
    schedule: scheduleSchema.prefault({}),
    mail: mailSchema.optional(),
    github: githubSchema.optional(),
    dns: dnsSchema.optional(),
    checks: checksSchema.optional(),
    playbooks: playbooksSchema.optional(),
    discovery: discoverySchema.optional(),
    store: storeSchema.optional(),
    distributed: distributedSchema.optional(),
  },
  {
    error: (iss) =>
      iss.code === 'invalid_type' && iss.input !== undefined ? said('errlang.config.document') : undefined,
  },
);

export type VigieConfig = z.output<typeof vigieConfigSchema>;
export type Asset = VigieConfig['assets'][number];
export type AssetHost = Asset['hosts'][number];
