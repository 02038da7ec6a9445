import type { Localized } from './catalogue.js';

/** The six phases of the CERT-SG IRM method, in their order, with the heading a playbook uses. */
export const PLAYBOOK_PHASES = [
  { code: 'PRE', name: 'Préparation', en: 'Preparation' },
  { code: 'IDE', name: 'Identification', en: 'Identification' },
  { code: 'CON', name: 'Confinement', en: 'Containment' },
  { code: 'REM', name: 'Remédiation', en: 'Remediation' },
  { code: 'REC', name: 'Récupération', en: 'Recovery' },
  { code: 'RETEX', name: "Retour d'expérience", en: 'Lessons learned' },
] as const;
export type PhaseCode = (typeof PLAYBOOK_PHASES)[number]['code'];
export const PHASE_CODES: readonly PhaseCode[] = PLAYBOOK_PHASES.map((p) => p.code);

/** Closed list of incident types (playbooks/README.md). */
export const INCIDENT_TYPES = [
  'ransomware',
  'ddos',
  'defacement',
  'phishing',
  'mailbox-compromise',
  'personal-data-breach',
  'exposed-device-compromise',
  'certificate',
  'exposed-service',
  'critical-vulnerability',
  'supplier-compromise',
  'service-outage',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** Closed list of regulatory obligations a playbook may carry (playbooks/README.md). */
export const PLAYBOOK_OBLIGATIONS = ['rgpd-art33', 'rgpd-art34', 'nis2-art23', 'plainte'] as const;
export type PlaybookObligation = (typeof PLAYBOOK_OBLIGATIONS)[number];

export const REVIEW_UNITS = ['d', 'w', 'mo', 'y'] as const;
export type ReviewUnit = (typeof REVIEW_UNITS)[number];

/** A review cadence: `12mo` is `{ amount: 12, unit: 'mo' }`. */
export interface ReviewPeriod {
  amount: number;
  unit: ReviewUnit;
}

/** One step of a phase; its ID is derived from the phase and its rank: `PRE-1`, `RETEX-2`. */
export interface PlaybookStep {
  id: string;
  text: string;
}

export interface PlaybookPhase {
  /** The heading as the playbook writes it (`Confinement`). */
  name: string;
  code: PhaseCode;
  /** Free text written before the phase's checklist. */
  intro?: string;
  steps: PlaybookStep[];
}

/** Who to call, by role (never by person), and what for. */
export interface PlaybookContact {
  role: string;
  for: string;
}

/** An incident-response playbook from `playbooks/PB-NNN-slug.md`. */
export interface Playbook {
  id: string;
  title: Localized;
  summary: Localized;
  /** A role, never a person. */
  owner: string;
  reviewEvery: ReviewPeriod;
  /** AAAA-MM-JJ, as written in the file. */
  lastReviewed: string;
  incidentTypes: IncidentType[];
  /** Check IDs whose findings lead to this playbook (`service.exposed.*` names a family). */
  triggers: string[];
  obligations: PlaybookObligation[];
  contacts: PlaybookContact[];
  references: string[];
  /** The six phases, in order. */
  phases: PlaybookPhase[];
  /** Absolute path of the file. */
  file: string;
}

/** `12mo` → `{ amount: 12, unit: 'mo' }`; undefined when the text is not a cadence. */
export function parseReviewPeriod(text: string): ReviewPeriod | undefined {
  const match = /^(\d+)(d|w|mo|y)$/.exec(text);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  if (!Number.isSafeInteger(amount) || amount < 1) return undefined;
  return { amount, unit: match[2] as ReviewUnit };
}

export function formatReviewPeriod(period: ReviewPeriod): string {
  return `${period.amount}${period.unit}`;
}

/** Whether a trigger names `checkId`: the same ID, or a family written `prefix.*`. */
export function triggerMatches(trigger: string, checkId: string): boolean {
  return trigger.endsWith('.*') ? checkId.startsWith(trigger.slice(0, -1)) : trigger === checkId;
}
