import { z } from 'zod';
import { SEVERITIES } from '../domain/index.js';

const localized = z.strictObject({ fr: z.string().trim().min(1), en: z.string().trim().min(1) });

export const CHECK_ID_PATTERN = /^[a-z0-9]+(\.[a-z0-9-]+)+$/;

export const checkMetaSchema = z.strictObject({
  id: z
    .string()
    .regex(CHECK_ID_PATTERN, 'identifiant attendu en minuscules pointées, ex. « tls.cert.expired »'),
  category: z.enum(['tls', 'http', 'services', 'dns', 'scan']),
  severity: z.enum(SEVERITIES),
  title: localized,
  evidence: localized,
  remediation: localized,
  references: z.array(z.string().min(1)),
  playbook: z
    .string()
    .regex(/^PB-\d{3}$/, 'identifiant de fiche attendu, ex. « PB-008 »')
    .optional(),
});

export const catalogueSchema = z.strictObject({
  version: z.literal(1),
  checks: z.array(checkMetaSchema),
});
