import { createHash } from 'node:crypto';
import type { EvidenceParams } from './finding.js';

/** JSON with object keys sorted at every level, so equal evidence always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** sha256 (hex) of the canonical JSON of a finding's details: what a waiver is given for. */
export function detailsHash(details: EvidenceParams): string {
  return createHash('sha256').update(canonicalJson(details)).digest('hex');
}

const MAX_VALUE_CHARS = 80;

function shown(value: EvidenceParams[string] | undefined): string {
  if (value === undefined) return '∅';
  const text = String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** What changed between two evidences, as `key: old → new; …` (keys in order). */
export function describeEvidenceChange(before: EvidenceParams, after: EvidenceParams): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${shown(before[k])} → ${shown(after[k])}`)
    .join('; ');
}
