import type { CheckMeta } from './catalogue.js';
import type { ServiceCatalogue, ServiceEntry } from './service-catalogue.js';

/** Check ID raised when a catalogue service answers and the asset does not declare it. */
export const exposedCheckId = (service: string): string => `service.exposed.${service}`;

/** Check ID raised when a safe probe proves that the service answers without authentication. */
export const unauthenticatedCheckId = (service: string): string => `service.${service}.unauthenticated`;

/** Evidence of every `service.exposed.<name>` finding; its params are filled by evaluateService. */
export const EXPOSED_EVIDENCE = {
  fr: 'Le port {port}/{transport} accepte les connexions et répond comme {service} (réponse : {banner}).',
  en: 'Port {port}/{transport} accepts connections and answers as {service} (answer: {banner}).',
} as const;

/**
 * Catalogue metadata of each service's checks, derived from its record in checks/services.yaml:
 * `service.exposed.<name>` (the service's exposure severity, its risk followed by its remediation,
 * its references), and `service.<name>.unauthenticated` where the record has `unauthenticated:`.
 */
export function serviceCheckMetas(catalogue: ServiceCatalogue): CheckMeta[] {
  return [...catalogue.services.values()].flatMap((entry) => [
    exposedMeta(entry),
    ...unauthenticatedMeta(entry),
  ]);
}

/** `service.<name>.unauthenticated`, from the service's `unauthenticated:` record. */
function unauthenticatedMeta(entry: ServiceEntry): CheckMeta[] {
  const u = entry.unauthenticated;
  if (u === undefined) return [];
  const meta: CheckMeta = {
    id: unauthenticatedCheckId(entry.name),
    category: 'services',
    severity: u.severity,
    title: { ...u.title },
    evidence: { ...u.evidence },
    remediation: { ...u.remediation },
    references: [...u.references],
  };
  return [u.playbook === undefined ? meta : { ...meta, playbook: u.playbook }];
}

function exposedMeta(entry: ServiceEntry): CheckMeta {
  const meta: CheckMeta = {
    id: exposedCheckId(entry.name),
    category: 'services',
    severity: entry.severity,
    title: {
      fr: `Service ${entry.label} exposé sur Internet`,
      en: `${entry.label} service exposed to the Internet`,
    },
    evidence: { ...EXPOSED_EVIDENCE },
    remediation: {
      fr: `${entry.risk.fr.trim()} ${entry.remediation.fr.trim()}`,
      en: `${entry.risk.en.trim()} ${entry.remediation.en.trim()}`,
    },
    references: [...entry.references],
  };
  return entry.playbook === undefined ? meta : { ...meta, playbook: entry.playbook };
}
