export { McpConfigError } from "./config.js";
export { HIDDEN_SECRET } from "./output.js";
// The registry and the configuration (also the bin's light entry).
export * from "./registry.js";
export { type InputSchema, inputJsonSchema } from "./schema.js";
export { CALL_TIMEOUT_MS, createSdkMcpServer, type McpServerOptions } from "./server.js";
export type { ToolContext, ToolSpec } from "./tools.js";
