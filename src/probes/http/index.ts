export { httpProbe, httpGet, type HttpProbeOptions, type HttpGetOptions } from './http-probe.js';
export { USER_AGENT } from './user-agent.js';
export type { HttpTarget } from './http-client.js';
export { fetchMtaStsPolicy, MTA_STS_POLICY_PATH, type MtaStsFetchOptions } from './mta-sts-policy.js';
