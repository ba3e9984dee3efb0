// `@sdk/iam/schemas`: the valibot schemas of the models and inputs, the constants of the API and the
// operation descriptors, for those who validate wire data on their own or build on @core/http.
export {
  API_KEY_ONLY,
  DEFAULT_RETRY,
  DEFAULT_SERVER,
  IAM_SERVERS,
  type IamServer,
  PROTECTED,
} from "./api.js";
export type { Any, ListSigningKeysResponse, SigningKey, Status, Token } from "./models.js";
export {
  AnySchema,
  ListSigningKeysResponseSchema,
  SigningKeySchema,
  StatusSchema,
  TokenSchema,
} from "./models.js";
export {
  GenerateServiceAccountTokenInputSchema,
  generateServiceAccountTokenOperation,
} from "./operations/generate-service-account-token.js";
export { ListSigningKeysInputSchema, listSigningKeysOperation } from "./operations/list-signing-keys.js";
