// `@sdk/auth/schemas`: the valibot schemas of the models and inputs, the constants of the API and the
// operation descriptors, for those who validate wire data on their own or build on @core/http.
export { AUTH_API, AUTH_SERVERS, type AuthSecurity, type AuthServer, DEFAULT_SERVER } from "./api.js";
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
  AccessDetailsSchema,
  AccessLevelSchema,
  AccessTokenSchema,
  AccessTokenUserSchema,
  AccessTokenWorkspaceSchema,
  AccountTypeSchema,
  ApiKeyDetailsSchema,
  AuthErrorDataSchema,
  BILLING_ADD_ONS,
  BillingAddOnSchema,
  FeatureFlagSchema,
  UserSchema,
  WORKSPACE_FEATURE_FLAGS,
  WorkspaceFeatureFlagSchema,
} from "./models.js";
export { GET_ACCESS_RETRY, GetAccessInputSchema, getAccessOperation } from "./operations/get-access.js";
export { GetAccessTokenInputSchema, getAccessTokenOperation } from "./operations/get-access-token.js";
export { getUserOperation } from "./operations/get-user.js";
export { validateApiKeyOperation } from "./operations/validate-api-key.js";
