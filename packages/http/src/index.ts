export { DEFAULT_MAX_RESPONSE_BYTES } from "./body.js";
export { HttpClient } from "./client.js";
export type {
  ApiDescription,
  CallOptions,
  ClientOptions,
  FetchLike,
  OfetchLike,
  SecuritySource,
} from "./config.js";
export { abortable, DEFAULT_TOTAL_TIMEOUT_MS } from "./deadline.js";
export { isJSONContentType, type ResponseMeta } from "./execute.js";
export type { CallContext, CallOutcome, ErrorHookResult, HookContext, Hooks, Logger } from "./hooks.js";
export {
  type CursorPagination,
  defineOperation,
  type ErrorClass,
  type ErrorMap,
  HTTP_METHODS,
  type HttpMethod,
  type InputOf,
  type ItemOf,
  type Operation,
  type OutputOf,
  type WireRequest,
} from "./operation.js";
export { type FetchPage, type PagePromise, paginate } from "./pagination.js";
export type { APIPromise } from "./promise.js";
export type { SecretFields } from "./redact.js";
export {
  type BackoffConfig,
  backoffDelay,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_CODES,
  MAX_RETRIES,
  MIN_RETRY_DELAY_MS,
  type RetryConfig,
  retryAfterMs,
} from "./retry.js";
export {
  type CamelCase,
  type Camelize,
  compactArray,
  dateTime,
  looseWireObject,
  type OpenEnum,
  openEnum,
  wireObject,
} from "./schema.js";
export type { SecurityContext, SecurityRequirement, SecurityScheme } from "./security.js";
