import { z } from 'zod';
import { SEVERITIES, decodeSendText, type HttpMatcher, type TcpMatcher } from '../domain/index.js';
import { customRegexProblem } from '../domain/custom-matchers.js';

/**
 * The shape of a custom check file (`checks/custom/*.yaml`): `version: 1` and a list of checks, each
 * with one `http` or `tcp` rule made of a small closed set of matchers, and its cases. Rules that
 * span fields (one rule kind, samples of the right kind, templates, cases that behave as declared)
 * are checked after the schema, in `custom-check-rules.ts`.
 */

/** `custom.` then dotted lower-case parts: custom IDs never collide with built-in ones. */
export const CUSTOM_CHECK_ID_PATTERN = /^custom\.[a-z0-9-]+(\.[a-z0-9-]+)*$/;

const ID_MESSAGE =
  'identifiant attendu sous la forme « custom.<nom> » (minuscules, chiffres, « - », parties séparées par « . »), ex. « custom.http.git-head »';
const HTTP_MATCHER_MESSAGE =
  'matcher attendu : « status », « header » avec « present », « absent » ou « matches », ou « body » avec « contains » ou « regex »';
const BODY_MESSAGE = 'exactement une clé attendue : « contains » ou « regex »';

const text = z.string().trim().min(1, { error: 'valeur vide' });
const localized = z.strictObject({ fr: text, en: text });
/** Searched as written: leading and trailing spaces count. */
const needle = z.string().min(1, { error: 'valeur vide' });

const regexSource = z.string().superRefine((source, ctx) => {
  const problem = source === '' ? 'valeur vide' : customRegexProblem(source);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const statusCode = z.int().min(100).max(599);
const port = z
  .int({ error: (iss) => (iss.input === undefined ? undefined : 'port invalide (1–65535)') })
  .min(1)
  .max(65535);
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'nom d’en-tête HTTP invalide' });

/** Only when the matcher parsed cleanly, so an unknown key is not reported twice. */
const cleanly = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

const httpMatcherSchema = z
  .strictObject({
    /** `status: 200` is read as `status: [200]`. */
    status: z.preprocess((v) => (typeof v === 'number' ? [v] : v), z.array(statusCode).min(1)).optional(),
    header: headerName.optional(),
    present: z.literal(true).optional(),
    absent: z.literal(true).optional(),
    matches: regexSource.optional(),
    body: z
      .strictObject({ contains: needle.optional(), regex: regexSource.optional() })
      .superRefine((body, ctx) => {
        if ((body.contains === undefined) === (body.regex === undefined))
          ctx.addIssue({ code: 'custom', message: BODY_MESSAGE });
      }, cleanly)
      .optional(),
  })
  .superRefine((m, ctx) => {
    const headerTests = [m.present, m.absent, m.matches].filter((v) => v !== undefined).length;
    const shapes = [m.status !== undefined, m.body !== undefined, m.header !== undefined];
    const valid =
      shapes.filter(Boolean).length === 1 && (m.header === undefined ? headerTests === 0 : headerTests === 1);
    if (!valid) ctx.addIssue({ code: 'custom', message: HTTP_MATCHER_MESSAGE });
  }, cleanly)
  .transform((m): HttpMatcher => {
    if (m.status !== undefined) return { status: m.status };
    if (m.body !== undefined)
      return m.body.contains !== undefined
        ? { body: { contains: m.body.contains } }
        : { body: { regex: m.body.regex ?? '' } };
    const header = m.header ?? '';
    if (m.present === true) return { header, present: true };
    if (m.absent === true) return { header, absent: true };
    return { header, matches: m.matches ?? '' };
  });

const tcpMatcherSchema = z
  .strictObject({
    banner: z
      .strictObject({ contains: needle.optional(), regex: regexSource.optional() })
      .superRefine((banner, ctx) => {
        if ((banner.contains === undefined) === (banner.regex === undefined))
          ctx.addIssue({ code: 'custom', message: BODY_MESSAGE });
      }, cleanly),
  })
  .transform(({ banner }): TcpMatcher =>
    banner.contains !== undefined
      ? { banner: { contains: banner.contains } }
      : { banner: { regex: banner.regex ?? '' } },
  );

export const httpRuleSchema = z.strictObject({
  path: z
    .string()
    .max(2048)
    .regex(/^\/[^\s#]*$/, { error: 'chemin attendu commençant par « / », sans espace ni « # »' }),
  scheme: z.enum(['https', 'http', 'both']).default('https'),
  matchers: z.array(httpMatcherSchema).min(1),
});

export const tcpRuleSchema = z.strictObject({
  port,
  send: z
    .string()
    .superRefine((send, ctx) => {
      const decoded = decodeSendText(send);
      if (send === '') ctx.addIssue({ code: 'custom', message: 'valeur vide' });
      else if (!decoded.ok) ctx.addIssue({ code: 'custom', message: decoded.error });
    })
    .optional(),
  matchers: z.array(tcpMatcherSchema).min(1),
});

/** A header value written as a number (`content-length: 12`) is read as text. */
const headerValue = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string(),
);

/** One case: `status`, `headers`, `body` for an HTTP check, `banner` for a TCP one (checked later). */
export const sampleSchema = z.strictObject({
  status: statusCode.optional(),
  headers: z.record(headerName, headerValue).optional(),
  body: z.string().optional(),
  banner: z.string().optional(),
});

export const customCheckEntrySchema = z.strictObject({
  id: z.string().regex(CUSTOM_CHECK_ID_PATTERN, { error: ID_MESSAGE }),
  severity: z.enum(SEVERITIES),
  title: localized,
  /** Template: `{path}`, `{status}`, `{url}`, `{matched}` (http) or `{port}`, `{banner}`, `{matched}` (tcp). */
  evidence: localized,
  remediation: localized,
  references: z.array(text).default([]),
  playbook: z
    .string()
    .regex(/^PB-\d{3}$/, { error: 'identifiant de fiche attendu, ex. « PB-008 »' })
    .optional(),
  http: httpRuleSchema.optional(),
  tcp: tcpRuleSchema.optional(),
  cases: z.strictObject({
    match: z.array(sampleSchema).min(1, { error: 'au moins un cas qui doit déclencher le contrôle' }),
    noMatch: z
      .array(sampleSchema)
      .min(1, { error: 'au moins un cas qui ne doit pas déclencher le contrôle' }),
  }),
});

export type CustomCheckEntry = z.output<typeof customCheckEntrySchema>;
export type SampleEntry = z.output<typeof sampleSchema>;

/** The file around the checks; each check is validated on its own, so one bad check hides no other. */
export const customCheckFileSchema = z.strictObject(
  {
    version: z.literal(1),
    checks: z.array(z.unknown()),
  },
  {
    error: (iss) =>
      iss.code === 'invalid_type' && iss.input !== undefined
        ? 'le document doit être une table (version, checks)'
        : undefined,
  },
);
