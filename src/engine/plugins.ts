import type {
  DomainObservation,
  HttpObservation,
  ServiceObservation,
  TlsObservation,
} from '../domain/index.js';
import { DISCOVERY_CHECK_IDS } from '../domain/discovery.js';
import type { CheckData, CheckPlugin } from './check.js';
import { customCheck, type CustomObservation } from './checks/custom-checks.js';
import { domainChecks, type DomainCheckContext } from './checks/dns-checks.js';
import { httpChecks } from './checks/http-checks.js';
import { SERVICE_CHECK_IDS, serviceChecks, type ServiceCheckContext } from './checks/service-checks.js';
import { smtpChecks, type SmtpObservation } from './checks/smtp-checks.js';
import { tlsChecks } from './checks/tls-checks.js';

/**
 * The check plugins, one per protocol family, in the order the engine judges an endpoint. Each says
 * what it observes (gathered once by src/engine/observe-endpoint.ts, or src/engine/run-domains.ts for
 * `dns`) and which checks judge that observation; the checks are pure (src/engine/checks/).
 */
export const smtpPlugin: CheckPlugin<SmtpObservation> = {
  family: 'smtp',
  observes: 'la session SMTP d’un serveur MX : bannière 220 et mots-clés EHLO (STARTTLS annoncé ou non)',
  posture: 'dns',
  checks: () => smtpChecks,
};

export const tlsPlugin: CheckPlugin<TlsObservation> = {
  family: 'tls',
  observes:
    'une poignée de main par version de protocole et par classe de suites, la chaîne de certificats et sa validation',
  posture: 'tls',
  checks: () => tlsChecks,
};

export const httpPlugin: CheckPlugin<HttpObservation> = {
  family: 'http',
  observes:
    'la page (redirections sur l’hôte suivies), une requête CORS et /.well-known/security.txt ; et, pour la note HTTP, le port 80 du même hôte',
  posture: 'http',
  checks: () => httpChecks,
};

export const servicesPlugin: CheckPlugin<ServiceObservation, ServiceCheckContext> = {
  family: 'services',
  observes: 'l’état du port, et ce que dit le service à la sonde sûre de checks/services.yaml',
  posture: 'services',
  checks: (data: CheckData) => serviceChecks(data.services),
};

export const customPlugin: CheckPlugin<CustomObservation> = {
  family: 'custom',
  observes:
    'une requête GET par chemin (celle de la sonde HTTP pour son chemin), un échange TCP par contrôle',
  posture: 'services',
  checks: (data: CheckData) => (data.customChecks ?? []).map(customCheck),
};

export const dnsPlugin: CheckPlugin<DomainObservation, DomainCheckContext> = {
  family: 'dns',
  observes: 'les enregistrements SPF, DMARC, DKIM, MX, MTA-STS, TLS-RPT, CAA et DNSSEC d’un domaine',
  posture: 'dns',
  checks: () => domainChecks,
};

/** Check IDs raised by code; the services' and custom IDs come from data (checks/). */
export const BUILTIN_CHECK_IDS: readonly string[] = [
  ...tlsChecks.map((c) => c.id),
  ...httpChecks.map((c) => c.id),
  ...SERVICE_CHECK_IDS,
  ...domainChecks.map((c) => c.id),
  ...smtpChecks.map((c) => c.id),
  // Raised by the TLS profile evaluation (judge-endpoint.ts), when profiles are asked for.
  'tls.profile.nonconformant',
  'scan.timeout',
  'scan.error',
  // Raised by `vigie discover` (src/app/discover), not by a scan.
  ...DISCOVERY_CHECK_IDS,
];
