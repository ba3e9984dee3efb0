// The root export: what a user of the SDK calls and names. Schemas, constants and operation
// descriptors are in `@sdk/auth/schemas` (src/schemas.ts), for those who validate on their own.
export type {
  APIPromise,
  BackoffConfig,
  CallOptions,
  FetchLike,
  HookContext,
  Hooks,
  Logger,
  OpenEnum,
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
export type { AuthSecurity, AuthServer } from "./api.js";
export { AuthClient } from "./client.js";
export { type AuthClientOptions, AuthCore } from "./core.js";
export { AuthError } from "./errors.js";
export type {
  AccessDetails,
  AccessLevel,
  AccessToken,
  AccessTokenUser,
  AccessTokenWorkspace,
  AccountType,
  ApiKeyDetails,
  AuthErrorData,
  BillingAddOn,
  FeatureFlag,
  User,
  WorkspaceFeatureFlag,
} from "./models.js";
export {
  ACCESS_LEVELS,
  ACCOUNT_TYPES,
  BILLING_ADD_ONS,
  WORKSPACE_FEATURE_FLAGS,
} from "./models.js";
export { type GetAccessInput, getAccess } from "./operations/get-access.js";
export { type GetAccessTokenInput, getAccessToken } from "./operations/get-access-token.js";
export { getUser } from "./operations/get-user.js";
export { validateApiKey } from "./operations/validate-api-key.js";
