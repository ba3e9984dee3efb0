// What the bin needs before it starts a server (--help lists the tools and variables): the registry
// and the configuration, without the MCP SDK, whose import dominates start-up. Not a public entry.
export {
  CREDENTIAL_VARIABLES,
  type Credential,
  configFromEnv,
  ENV,
  hasCredential,
  type McpConfig,
} from "./config.js";
export { TOOLS } from "./tools.js";
