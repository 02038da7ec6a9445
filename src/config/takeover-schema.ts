import { z } from 'zod';

const text = z.string().trim().min(1);
const suffix = z
  .string()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { error: 'suffixe DNS en minuscules attendu (ex. github.io)' });

/** One case of a fingerprint: what was observed, and whether the name must be judged dangling. */
const takeoverCaseSchema = z.strictObject({
  cname: text,
  rcode: z.enum(['NOERROR', 'NXDOMAIN', 'SERVFAIL']).optional(),
  status: z.int().min(100).max(599).optional(),
  body: z.string().optional(),
  dangling: z.boolean(),
});

export const takeoverProviderSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'identifiant en kebab-case attendu' }),
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
