export { tlsProbe, type TlsProbeOptions } from './tls/tls-probe.js';
export { defaultTrustAnchors, loadTrustAnchors, analyseChain } from './tls/certificate-analysis.js';
export { resolveHost } from './dns/resolve-host.js';
