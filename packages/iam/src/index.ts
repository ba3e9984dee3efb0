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
export {
  DEFAULT_RETRY,
  DEFAULT_SERVER,
  IAM_SERVERS,
  type IamSecurity,
  type IamServer,
  PROTECTED,
} from "./api.js";
export { IamClient } from "./client.js";
export { type IamClientOptions, IamCore } from "./core.js";
export {
  InvalidCredentialsError,
  StatusError,
  TokenVerificationError,
  type TokenVerificationReason,
} from "./errors.js";
export {
  type Any,
  AnySchema,
  type ListSigningKeysResponse,
  ListSigningKeysResponseSchema,
  type SigningKey,
  SigningKeySchema,
  type Status,
  StatusSchema,
  type Token,
  TokenSchema,
} from "./models.js";
export {
  type GenerateServiceAccountTokenInput,
  GenerateServiceAccountTokenInputSchema,
  generateServiceAccountToken,
  generateServiceAccountTokenOperation,
} from "./operations/generate-service-account-token.js";
export {
  type ListSigningKeysInput,
  ListSigningKeysInputSchema,
  listSigningKeys,
  listSigningKeysOperation,
} from "./operations/list-signing-keys.js";
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
  verifyAccessToken,
} from "./service-account/verify.js";
