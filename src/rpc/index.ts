export * from './errors.js';
export { parseRpcRequest, type RpcRequest } from './request.js';
export { parseFeltParam, feltToHex } from './felt-param.js';
export { parsePingParams } from './ping.js';
