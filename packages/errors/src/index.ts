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
  ConnectionError,
  InvalidRequestError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
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
