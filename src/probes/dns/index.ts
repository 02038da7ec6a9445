export {
  dnsQuery,
  formatResolverAddress,
  parseResolverAddress,
  systemResolver,
  type DnsQueryOptions,
} from './dns-client.js';
export {
  CLASSIC_UDP_PAYLOAD_SIZE,
  decodeQuery,
  decodeResponse,
  EDNS_UDP_PAYLOAD_SIZE,
  encodeAnswer,
  encodeQuery,
  frame,
  FrameReader,
  MAX_MESSAGE_SIZE,
  normaliseName,
  type AnswerOptions,
  type DecodedQuery,
  type ZoneRecord,
} from './wire.js';
export { resolveHost } from './resolve-host.js';
export { observeDomain, type DomainProbeOptions } from './domain-probe.js';
