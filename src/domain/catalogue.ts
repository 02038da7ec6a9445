import type { Category } from './finding.js';
import type { Severity } from './severity.js';

export interface Localized {
  fr: string;
  en: string;
}

/**
 * What users read of a check, wherever it is declared (checks/catalogue.yaml, a service's record
 * in services.yaml, a custom check): its severity, texts, references and reflex playbook.
 */
export interface CheckText {
  severity: Severity;
  title: Localized;
  /** Template of the evidence sentence; `{param}` is filled from what the probe observed. */
  evidence: Localized;
  remediation: Localized;
  references: string[];
  playbook?: string;
}

/** Metadata of one check, from checks/catalogue.yaml: what users read, never code. */
export interface CheckMeta extends CheckText {
  id: string;
  category: Category;
}

export interface Catalogue {
  version: number;
  checks: ReadonlyMap<string, CheckMeta>;
}
