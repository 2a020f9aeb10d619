/** The devnet RPC proxy with provider profiles (issue 15): one import for tests and benchmarks. */
export { startRpcProxy, type RpcProxy, type RpcProxyOptions, type RpcProxyStats } from './server.js';
export {
  parseProfiles,
  normaliseProfiles,
  PROFILE_NAMES,
  PROFILE_DEFAULTS,
  ProfileParseError,
  type Profile,
  type ProfileInput,
  type ProfileName,
} from './profiles.js';
export { alterHex } from './call-handler.js';
export { seededRandom } from '../lib/rng.js';
