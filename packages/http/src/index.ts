export { HttpClient } from "./client.js";
export type { ApiDescription, CallOptions, ClientOptions, FetchLike, SecuritySource } from "./config.js";
export { isJSONContentType, type ResponseMeta } from "./execute.js";
export type { ErrorHookResult, HookContext, Hooks, Logger } from "./hooks.js";
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
export type { FetchPage, PagePromise } from "./pagination.js";
export type { APIPromise } from "./promise.js";
export {
  type BackoffConfig,
  backoffDelay,
  DEFAULT_RETRY_CODES,
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
