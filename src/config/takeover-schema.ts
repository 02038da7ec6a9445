import { z } from 'zod';
import { said } from './schema-texts.js';

const text = z.string().trim().min(1);
const suffix = z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { error: said('texts2.takeover.suffix') });

/** One case of a fingerprint: what was observed, and whether the name must be judged dangling. */
const takeoverCaseSchema = z.strictObject({
  cname: text,
  rcode: z.enum(['NOERROR', 'NXDOMAIN', 'SERVFAIL']).optional(),
  status: z.int().min(100).max(599).optional(),
  body: z.string().optional(),
  dangling: z.boolean(),
});

export const takeoverProviderSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: said('texts2.takeover.id') }),
  name: text,
  cname: z.array(suffix).min(1),
  cnameRegex: text.optional(),
  nxdomain: z.boolean(),
  http: z
    .strictObject({ status: z.array(z.int().min(100).max(599)).min(1).optional(), body: text })
    .optional(),
  takeover: z.boolean(),
  references: z.array(text).min(1),
  cases: z.array(takeoverCaseSchema).min(2),
});

export const takeoverCatalogueSchema = z.strictObject({
  version: z.literal(1),
  providers: z.array(takeoverProviderSchema).min(1),
});

export type TakeoverCase = z.output<typeof takeoverCaseSchema>;
