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
export { AUTH_SERVERS, type AuthSecurity, type AuthServer, DEFAULT_SERVER } from "./api.js";
export { AuthClient } from "./client.js";
export { type AuthClientOptions, AuthCore } from "./core.js";
export { AuthError } from "./errors.js";
export {
  ACCESS_LEVELS,
  ACCOUNT_TYPES,
  type AccessDetails,
  AccessDetailsSchema,
  type AccessLevel,
  AccessLevelSchema,
  type AccessToken,
  AccessTokenSchema,
  type AccessTokenUser,
  AccessTokenUserSchema,
  type AccessTokenWorkspace,
  AccessTokenWorkspaceSchema,
  type AccountType,
  AccountTypeSchema,
  type ApiKeyDetails,
  ApiKeyDetailsSchema,
  type AuthErrorData,
  AuthErrorDataSchema,
  BILLING_ADD_ONS,
  type BillingAddOn,
  BillingAddOnSchema,
  type FeatureFlag,
  FeatureFlagSchema,
  type User,
  UserSchema,
  WORKSPACE_FEATURE_FLAGS,
  type WorkspaceFeatureFlag,
  WorkspaceFeatureFlagSchema,
} from "./models.js";
export {
  GET_ACCESS_RETRY,
  type GetAccessInput,
  GetAccessInputSchema,
  getAccess,
  getAccessOperation,
} from "./operations/get-access.js";
export {
  type GetAccessTokenInput,
  GetAccessTokenInputSchema,
  getAccessToken,
  getAccessTokenOperation,
} from "./operations/get-access-token.js";
export { getUser, getUserOperation } from "./operations/get-user.js";
export { validateApiKey, validateApiKeyOperation } from "./operations/validate-api-key.js";
