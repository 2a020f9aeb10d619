export * from './errors.js';
export { parseRpcRequest, type RpcRequest } from './request.js';
export { parseFeltParam, feltToHex } from './felt-param.js';
export { parsePingParams } from './ping.js';
export {
  type StarkSignSource,
  type ParsedStarkParams,
  parseSignOrderParams,
  parseSignWithdrawalParams,
  parseSignTransferParams,
  parseSignConditionalTransferParams,
} from './stark-params.js';
