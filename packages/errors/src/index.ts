export { hasKind } from "./brand.js";
export type {
  APIErrorInit,
  RequestInfo,
  ResponseValidationInit,
  SDKErrorOptions,
  ValidationIssue,
} from "./errors.js";
export {
  APIError,
  bodySummary,
  ConnectionError,
  DeadlineExceededError,
  InvalidRequestError,
  REQUEST_ID_HEADERS,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseTooLargeError,
  ResponseValidationError,
  requestIdOf,
  SDKError,
} from "./errors.js";
export {
  type HeadersLike,
  isSensitiveHeader,
  isSensitiveKey,
  REDACTED,
  redactHeaders,
  redactText,
  redactValue,
} from "./redact.js";
