// The root export: what a user of the SDK calls and names. Schemas, constants and operation
// descriptors are in `@sdk/iam/schemas` (src/schemas.ts), for those who validate on their own.
export type {
  APIPromise,
  BackoffConfig,
  CallOptions,
  FetchLike,
  HookContext,
  Hooks,
  Logger,
  PagePromise,
  ResponseMeta,
  RetryConfig,
  SecuritySource,
} from "@core/http";
export {
  APIError,
  ConnectionError,
  InvalidRequestError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
  SDKError,
  type ValidationIssue,
} from "@sdk/errors";
export type { IamSecurity, IamServer } from "./api.js";
export { IamClient } from "./client.js";
export { type IamClientOptions, IamCore } from "./core.js";
export {
  InvalidCredentialsError,
  StatusError,
  TokenVerificationError,
  type TokenVerificationReason,
} from "./errors.js";
export type { Any, ListSigningKeysResponse, SigningKey, Status, Token } from "./models.js";
export {
  type GenerateServiceAccountTokenInput,
  generateServiceAccountToken,
} from "./operations/generate-service-account-token.js";
export { type ListSigningKeysInput, listSigningKeys } from "./operations/list-signing-keys.js";
export { callProtected, defineProtectedOperation, type ProtectedRequest } from "./operations/protected.js";
export {
  parseServiceAccountCredentials,
  ServiceAccountCredentials,
  type ServiceAccountCredentialsFile,
} from "./service-account/credentials.js";
export {
  type ServiceAccountJwsClaims,
  type SignJwsOptions,
  signServiceAccountJws,
} from "./service-account/jws.js";
export {
  JOIN_LIMIT_MS,
  type ServiceAccountTokenCache,
  type TokenRefreshOptions,
  type TokenStats,
} from "./service-account/tokens.js";
export {
  type AccessTokenClaims,
  VERIFY_LIMITS,
  type VerifyAccessTokenOptions,
  type VerifyCommonOptions,
  verifyAccessToken,
} from "./service-account/verify.js";
