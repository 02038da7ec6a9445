export { fetchCtEntries, ctQueryUrl, DEFAULT_CT_LIMITS, type CtLimits } from './ct-client.js';
export { zoneTransfer, DEFAULT_AXFR_LIMITS, type AxfrLimits, type AxfrResult } from './axfr.js';
export { sweepAddresses, type SweepOptions } from './tcp-sweep.js';
export { resolveChain, reverseName, type ChainResolution } from './resolve-chain.js';
