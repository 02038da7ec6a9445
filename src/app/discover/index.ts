export {
  discoverNames,
  DISCOVERY_DEFAULTS,
  DISCOVERY_PORT,
  type DiscoverRequest,
  type DiscoverResult,
} from './discover.js';
export { BUILTIN_WORDS, loadWordlist } from './wordlist.js';
