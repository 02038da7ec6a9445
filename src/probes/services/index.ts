export { serviceProbe, SERVICE_MAX_BYTES, type ServiceProbeOptions } from './service-probe.js';
export { tcpExchange } from './tcp-exchange.js';
export type { ServiceTarget } from './conversation.js';
export { IDENTIFIABLE_SERVICES, type IdentifiableService } from './probe-registry.js';
