import { z } from 'zod';
import {
  INCIDENT_TYPES,
  isCalendarDate,
  parseReviewPeriod,
  PLAYBOOK_OBLIGATIONS,
  type ReviewPeriod,
} from '../domain/index.js';

export const PLAYBOOK_ID_PATTERN = /^PB-\d{3}$/;

const text = z.string().trim().min(1, { error: 'valeur vide' });
const localized = z.strictObject({ fr: text, en: text });

/** A date written unquoted may reach us as a Date (YAML 1.1 timestamps): keep its calendar day. */
const calendarDate = z.preprocess(
  (value) =>
    value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value,
  z.string().refine(isCalendarDate, { error: 'date attendue au format AAAA-MM-JJ (ex. 2026-10-01)' }),
);

const reviewEvery = z.string().transform((value, ctx): ReviewPeriod => {
  const period = parseReviewPeriod(value.trim());
  if (period === undefined) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: 'cadence attendue : un nombre suivi de d, w, mo ou y (ex. 12mo, 6mo, 52w, 1y)',
    });
    return z.NEVER;
  }
  return period;
});

/** The YAML front matter of a playbook (playbooks/README.md). Strict: a misspelt key is reported. */
export const playbookFrontMatterSchema = z.strictObject(
  {
    id: z
      .string()
      .regex(PLAYBOOK_ID_PATTERN, { error: 'identifiant attendu : PB- et trois chiffres (ex. PB-008)' }),
    title: localized,
    summary: localized,
    owner: text,
    reviewEvery,
    lastReviewed: calendarDate,
    incidentTypes: z.array(z.enum(INCIDENT_TYPES)).min(1, { error: 'au moins un type d’incident attendu' }),
    triggers: z.array(text).default([]),
    obligations: z.array(z.enum(PLAYBOOK_OBLIGATIONS)).default([]),
    contacts: z
      .array(z.strictObject({ role: text, for: text }))
      .min(1, { error: 'au moins un contact (par rôle) attendu' }),
    references: z.array(text).min(1, { error: 'au moins une référence (doctrine publique) attendue' }),
  },
  {
    error: (iss) =>
      iss.code === 'invalid_type' && iss.input !== undefined
        ? 'l’en-tête doit être une table (id, title, summary …)'
        : undefined,
  },
);

export type PlaybookFrontMatter = z.output<typeof playbookFrontMatterSchema>;
