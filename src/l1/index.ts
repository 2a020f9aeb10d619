export {
  starkPerpetualAbi,
  starkwareProxyAbi,
  perpetualEscapeVerifierAbi,
  memoryPageFactRegistryAbi,
  gpsStatementVerifierAbi,
  gpsFactAdapterAbi,
} from './abi.js';
export { DYDX_V3_MAINNET, type StarkExDeployment } from './deployment.js';
