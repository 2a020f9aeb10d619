/** The adaptive L1 request layer (issue 15): classify answers, budget and retry per endpoint, adaptive eth_getLogs. */
export { jitteredBackoffMs, type BackoffOptions } from './backoff.js';
export { RequestBudget, type BudgetOptions } from './budget.js';
export {
  classifyFailure,
  classifyRpcError,
  describeFailure,
  parseRetryAfter,
  type Classification,
  type RpcFailure,
} from './classify.js';
export { systemClock, type Clock } from './clock.js';
export { mapConcurrent, requestAll, type RpcCall } from './concurrent.js';
export { AdaptiveEndpoint, type AdaptiveEndpointOptions, type EndpointEvent, type RawRequest } from './endpoint.js';
export {
  EndpointCannotServeError,
  EndpointError,
  EndpointUnavailableError,
  formatAnswer,
  HttpStatusError,
  redactUrl,
  RpcLimitError,
  RpcPermanentError,
  type RpcAnswerSummary,
} from './errors.js';
export { getLogsAdaptive, type GetLogsOptions, type LogFilter, type RpcLog } from './get-logs.js';
export { HttpEndpoint, httpEndpoint, type BatchingState, type HttpEndpointOptions } from './http-endpoint.js';
export { defaultLogWindows, InMemoryLogWindows, type LogWindowLimits, type LogWindowMemory } from './log-window.js';
