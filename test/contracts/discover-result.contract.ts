import { z } from 'zod';
import { findingContract } from './scan-result.contract.js';

/**
 * The `vigie discover --json` contract. schemas/discover-result.schema.json is generated from it
 * (`npm run schemas`); a test fails when either drifts.
 */
const source = z.enum(['ct', 'dns', 'axfr', 'network']);
const cls = z.enum(['known', 'new', 'dangling', 'unresolved']);
const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);

const sourceReport = z.discriminatedUnion('status', [
  z.object({
    source,
    domain: z.string(),
    status: z.literal('ok'),
    names: z.number().int().min(0),
    detail: z.string().optional(),
  }),
  z.object({
    source,
    domain: z.string(),
    status: z.literal('failed'),
    reason: z.string(),
    detail: z.string(),
  }),
]);

export const discoveredNameContract = z.object({
  name: z.string().min(1),
  domain: z.string(),
  class: cls,
  sources: z.array(source).min(1),
  assetId: z.string().optional(),
  addresses: z.array(z.string()),
  cnames: z.array(z.string()),
  expiredOnly: z.boolean().optional(),
  wildcard: z.boolean().optional(),
  openPorts: z.array(z.number().int().min(1).max(65535)).optional(),
  takeover: z
    .object({
      provider: z.string(),
      providerName: z.string(),
      rule: z.enum(['nxdomain', 'http']),
      claimable: z.boolean(),
    })
    .optional(),
  detail: z.string().optional(),
  firstSeen: z.iso.datetime(),
  lastSeen: z.iso.datetime(),
});

export const discoverResultContract = z.object({
  run: z.object({
    id: z.string(),
    kind: z.literal('discovery'),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    saved: z.boolean(),
  }),
  domains: z.array(z.string()),
  sources: z.array(sourceReport),
  summary: z.object({
    names: z.number().int().min(0),
    known: z.number().int().min(0),
    new: z.number().int().min(0),
    dangling: z.number().int().min(0),
    unresolved: z.number().int().min(0),
    findings: z.number().int().min(0),
    bySeverity: z.record(severity, z.number().int().min(0)),
  }),
  names: z.array(discoveredNameContract),
  findings: z.array(findingContract),
});

export function discoverJsonSchema(): unknown {
  return z.toJSONSchema(discoverResultContract, { target: 'draft-2020-12' });
}
