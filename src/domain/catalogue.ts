import type { Category } from './finding.js';
import type { Severity } from './severity.js';

export interface Localized {
  fr: string;
  en: string;
}

/** Metadata of one check, from checks/catalogue.yaml: what users read, never code. */
export interface CheckMeta {
  id: string;
  category: Category;
  severity: Severity;
  title: Localized;
  /** Template of the evidence sentence; `{param}` is filled from what the probe observed. */
  evidence: Localized;
  remediation: Localized;
  references: string[];
  playbook?: string;
}

export interface Catalogue {
  version: number;
  checks: ReadonlyMap<string, CheckMeta>;
}
