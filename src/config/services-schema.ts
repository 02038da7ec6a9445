import { z } from 'zod';
import { SERVICE_PROBES, SEVERITIES } from '../domain/index.js';

const localized = z.strictObject({ fr: z.string().trim().min(1), en: z.string().trim().min(1) });

/** A service name: the suffix of its check ID `service.exposed.<name>`. */
export const SERVICE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

const serviceName = z
  .string()
  .regex(SERVICE_NAME_PATTERN, 'nom attendu en minuscules, chiffres et tirets, ex. « redis »');

const playbookId = z
  .string()
  .regex(/^PB-\d{3}$/, 'identifiant de fiche attendu, ex. « PB-008 »')
  .optional();

/** `unauthenticated:` of a service: the text of its `service.<name>.unauthenticated` check. */
const unauthenticatedSchema = z.strictObject({
  severity: z.enum(SEVERITIES),
  title: localized,
  evidence: localized,
  remediation: localized,
  references: z.array(z.string().min(1)).min(1),
  playbook: playbookId,
});

export const serviceEntrySchema = z.strictObject({
  name: serviceName,
  label: z.string().trim().min(1),
  aliases: z.array(serviceName).default([]),
  ports: z.array(z.int().min(1).max(65535)).min(1),
  transport: z.enum(['tcp', 'udp']).default('tcp'),
  probe: z.enum(SERVICE_PROBES),
  protocol: serviceName.optional(),
  severity: z.enum(SEVERITIES),
  risk: localized,
  remediation: localized,
  references: z.array(z.string().min(1)).min(1),
  playbook: playbookId,
  unauthenticated: unauthenticatedSchema.optional(),
});

export const serviceCatalogueSchema = z.strictObject({
  version: z.literal(1),
  services: z.array(serviceEntrySchema).min(1),
});
