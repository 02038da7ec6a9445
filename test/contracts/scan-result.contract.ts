import { z } from 'zod';

/**
 * The `vigie scan --json` contract, as users' scripts see it. schemas/scan-result.schema.json is
 * generated from it (`npm run schemas`); a test fails when either drifts.
 */
const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const param = z.union([z.string(), z.number(), z.boolean()]);
const category = z.enum(['tls', 'http', 'services', 'dns', 'scan']);

export const findingContract = z.object({
  checkId: z.string().regex(/^[a-z0-9]+(\.[a-z0-9-]+)+$/),
  severity,
  category,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  assetId: z.string().optional(),
  title: z.string().min(1),
  evidence: z.string().min(1),
  details: z.record(z.string(), param),
  remediation: z.string().min(1),
  references: z.array(z.string()),
  playbook: z.string().optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{20}$/),
  firstSeen: z.iso.datetime(),
  lastSeen: z.iso.datetime(),
});

const checkStatus = z.enum(['pass', 'fail', 'error', 'skipped']);

/** A family whose probe failed has no letter: « not-evaluated », with the reason. */
const notEvaluatedGrade = z.object({
  grade: z.literal('not-evaluated'),
  reason: z.string(),
  detail: z.string(),
  scoringVersion: z.string(),
});
const tlsGrade = z.object({
  grade: z.enum(['A+', 'A', 'A-', 'B', 'C', 'D', 'E', 'F', 'T', 'M']),
  score: z.number(),
  protocolScore: z.number(),
  keyExchangeScore: z.number(),
  cipherScore: z.number(),
  caps: z.array(z.object({ cap: z.string(), reason: z.string() })),
  warnings: z.array(z.string()),
  scoringVersion: z.string(),
});
const httpGrade = z.object({
  score: z.number(),
  grade: z.string().regex(/^[A-F][+-]?$/),
  scoringVersion: z.string(),
  modifiers: z.array(
    z.object({ test: z.string(), result: z.string(), modifier: z.number(), note: z.string() }),
  ),
});

const tlsVersion = z.enum(['ssl2', 'ssl3', 'tls1.0', 'tls1.1', 'tls1.2', 'tls1.3']);
/** The bounded enumeration: null is « not observed », never « no ». */
const tlsEnumeration = z.object({
  handshakes: z.number().int().min(0),
  truncated: z.boolean(),
  versions: z.partialRecord(
    tlsVersion,
    z.object({ suites: z.array(z.string()), serverOrder: z.boolean().nullable() }),
  ),
  groups: z.array(z.string()).nullable(),
  groupsVersion: tlsVersion.optional(),
  postQuantum: z.boolean().nullable(),
  compression: z.boolean().nullable(),
  secureRenegotiation: z.boolean().nullable(),
  ocspStapling: z.boolean().nullable(),
});
/** One TLS policy profile's verdict: conformant null when some rule was not observed and none failed. */
const tlsProfileResult = z.object({
  version: z.string(),
  conformant: z.boolean().nullable(),
  violations: z.array(z.object({ rule: z.string(), observed: z.string() })),
  notEvaluated: z.array(z.string()),
  degraded: z.array(z.string()),
});

export const endpointContract = z.object({
  host: z.string(),
  port: z.number().int(),
  address: z.string().optional(),
  assetId: z.string().optional(),
  status: z.enum(['assessed', 'error', 'timeout']),
  reason: z.string().optional(),
  detail: z.string().optional(),
  checks: z.record(z.string(), checkStatus),
  tls: z
    .object({
      protocols: z.array(z.string()),
      certificate: z
        .object({ subject: z.string(), issuer: z.string(), notAfter: z.iso.datetime() })
        .optional(),
      grade: z.union([tlsGrade, notEvaluatedGrade]).optional(),
      enumeration: tlsEnumeration.optional(),
      postQuantum: z.boolean().nullable().optional(),
      profiles: z.record(z.string(), tlsProfileResult).optional(),
      certificateDetail: z
        .object({
          keyType: z.string(),
          keyBits: z.number().int(),
          notBefore: z.iso.datetime(),
          signatureAlgorithm: z.string(),
          chainLength: z.number().int().min(1),
          trust: z.string(),
        })
        .optional(),
    })
    .optional(),
  /** The page of a web endpoint; without `status` when the HTTP family failed. */
  http: z
    .object({
      url: z.string(),
      status: z.number().int().optional(),
      grade: z.union([httpGrade, notEvaluatedGrade]).optional(),
    })
    .optional(),
  /** Probe families that failed on an endpoint otherwise assessed (each raises a keyed scan.error). */
  errors: z
    .array(
      z.object({
        category: z.string(),
        postureCategory: category,
        reason: z.string(),
        detail: z.string(),
      }),
    )
    .optional(),
  /** A domain (DNS and mail checks, port 53): the records seen. */
  dns: z
    .object({
      spf: z.string().optional(),
      dmarc: z.string().optional(),
      mx: z.array(z.string()).optional(),
      caa: z.array(z.string()).optional(),
      dnssec: z.enum(['signed', 'unsigned', 'validated', 'bogus', 'not-validated']).optional(),
      mtaSts: z.string().optional(),
    })
    .optional(),
  /** An MX host: its SMTP greeting and whether it offers STARTTLS. */
  smtp: z.object({ banner: z.string(), starttls: z.boolean() }).optional(),
});

export const scanResultContract = z.object({
  run: z.object({
    id: z.string().min(1),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    scoringVersion: z.string().min(1),
    targets: z.array(z.string()),
    saved: z.boolean(),
  }),
  summary: z.object({
    endpoints: z.number().int(),
    assessed: z.number().int(),
    findings: z.number().int(),
    bySeverity: z.object({
      info: z.number(),
      low: z.number(),
      medium: z.number(),
      high: z.number(),
      critical: z.number(),
    }),
  }),
  endpoints: z.array(endpointContract),
  findings: z.array(findingContract),
  /** The posture index of the run; parts not evaluated are counted apart, never as clean. */
  posture: z
    .object({
      scoringVersion: z.string(),
      index: z.number(),
      endpoints: z.number().int(),
      unassessed: z.number().int(),
      partial: z.number().int(),
      byOwner: z.array(z.object({ owner: z.string(), index: z.number(), endpoints: z.number().int() })),
      byAsset: z.array(z.object({ assetId: z.string(), index: z.number(), endpoints: z.number().int() })),
      byCategory: z.array(
        z.object({
          category,
          index: z.number(),
          endpoints: z.number().int(),
          unassessed: z.number().int(),
        }),
      ),
    })
    .optional(),
});

export const errorContract = z.object({
  error: z.object({
    name: z.string(),
    message: z.string(),
    exitCode: z.number().int(),
    /** Catalogue key of the message (src/i18n), when the message comes from the catalogue. */
    key: z.string().optional(),
    hint: z.string().optional(),
    issues: z
      .array(
        z.object({
          file: z.string().optional(),
          path: z.string(),
          line: z.number().int().optional(),
          message: z.string(),
          text: z.string(),
          key: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

export const CONTRACTS = { 'scan-result': scanResultContract, error: errorContract } as const;

export function jsonSchemaOf(name: keyof typeof CONTRACTS): unknown {
  return z.toJSONSchema(CONTRACTS[name], { target: 'draft-2020-12' });
}
