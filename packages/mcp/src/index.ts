export {
  CREDENTIAL_VARIABLES,
  type Credential,
  configFromEnv,
  ENV,
  hasCredential,
  type McpConfig,
  McpConfigError,
} from "./config.js";
export { HIDDEN_SECRET } from "./output.js";
export { inputJsonSchema } from "./schema.js";
export { CALL_TIMEOUT_MS, createSdkMcpServer, type McpServerOptions } from "./server.js";
export { TOOLS, type ToolContext, type ToolSpec } from "./tools.js";
