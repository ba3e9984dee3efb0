// The MCP server over the tool registry. It uses the SDK's low-level `Server`, not `McpServer`:
// `McpServer.registerTool` takes zod schemas only, and our tools' schemas are JSON Schemas converted
// from the SDKs' valibot schemas.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { AuthCore } from "@sdk/auth";
import { SDKError } from "@sdk/errors";
import { IamCore } from "@sdk/iam";
import { name as PACKAGE_NAME, version as PACKAGE_VERSION } from "../package.json";
import { ENV, hasCredential, type McpConfig, McpConfigError, missingCredential } from "./config.js";
import { errorResult, type OutputOptions, refusal, resultOf } from "./output.js";
import { inputJsonSchema } from "./schema.js";
import { TOOLS, type ToolContext, type ToolSpec } from "./tools.js";

export interface McpServerOptions {
  /** List and run the tools that mint tokens (`getAccessToken`, `generateServiceAccountToken`). */
  allowTokenMinting?: boolean;
  /** Return access tokens in tool output (marked as secret) instead of hiding them. */
  revealSecrets?: boolean;
  /** The tools to serve (default `TOOLS`). */
  tools?: readonly ToolSpec[];
}

/**
 * Every attempt of an SDK call is bounded by this; the SDKs' retry policies bound the attempts
 * (`maxElapsedTime` 60 s), and the MCP client's cancellation aborts the call at any point.
 */
export const CALL_TIMEOUT_MS = 30_000;

/** The SDK clients for `config`; a server URL that the SDK refuses is reported by its variable. */
function clientsFor(config: McpConfig): { auth: AuthCore; iam: IamCore } {
  const build = <T>(variable: string, make: () => T): T => {
    try {
      return make();
    } catch (err) {
      if (err instanceof SDKError) throw new McpConfigError(variable, `is not usable: ${err.message}`);
      throw err;
    }
  };
  const auth = build(
    ENV.registryServerURL,
    () =>
      new AuthCore({
        serverURL: config.auth.serverURL,
        security: { apiKey: config.auth.apiKey },
        timeoutMs: CALL_TIMEOUT_MS,
      }),
  );
  const iam = build(
    ENV.iamServerURL,
    () =>
      new IamCore({
        server: config.iam.server,
        serverURL: config.iam.serverURL,
        security: { apiKeyAuth: config.iam.apiKey, serviceAccount: config.iam.serviceAccount },
        timeoutMs: CALL_TIMEOUT_MS,
      }),
  );
  return { auth, iam };
}

/** The MCP description of one tool. */
function describe(tool: ToolSpec): Tool {
  return {
    name: tool.name,
    description: `${tool.description} (${tool.operation})`,
    inputSchema: inputJsonSchema(tool.input),
    annotations: {
      readOnlyHint: tool.readOnly ?? tool.access === "read",
      destructiveHint: false,
      openWorldHint: true,
    },
  };
}

/**
 * A stdio-ready MCP server exposing the SDK operations as tools (connect it to any transport). Read
 * tools are always served; token-minting ones only with `allowTokenMinting`. Throws `McpConfigError`
 * when a configured server URL is unusable.
 */
export function createSdkMcpServer(config: McpConfig, options: McpServerOptions = {}): Server {
  const { auth, iam } = clientsFor(config);
  const all = options.tools ?? TOOLS;
  const enabled = all.filter((tool) => tool.access === "read" || options.allowTokenMinting);
  // Converted once: a schema the converter cannot express fails here, at start.
  const listed = enabled.map(describe);
  const output: OutputOptions = {
    revealSecrets: options.revealSecrets === true,
    scrub: [config.auth.apiKey, config.iam.apiKey].filter((value): value is string => Boolean(value)),
  };

  const server = new Server(
    { name: PACKAGE_NAME, version: PACKAGE_VERSION },
    {
      capabilities: { tools: {} },
      instructions:
        `Tools over the @sdk/auth (registry Auth API) and @sdk/iam (IAM API) operations. Configuration: ${config.source}.` +
        (options.allowTokenMinting
          ? ""
          : " Token-minting tools are disabled (start with --allow-token-minting)."),
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const tool = all.find((candidate) => candidate.name === name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    if (!enabled.includes(tool)) {
      return refusal(
        `The tool ${tool.name} is disabled: it mints access tokens. Start the MCP server with --allow-token-minting to enable it.`,
      );
    }
    try {
      const missing = tool.needs.find((credential) => !hasCredential(config, credential));
      if (missing) throw missingCredential(missing);
      const ctx: ToolContext = {
        auth,
        iam,
        signal: extra.signal,
        serviceAccount: () => {
          if (!config.iam.serviceAccount) throw missingCredential("iamServiceAccount");
          return config.iam.serviceAccount;
        },
      };
      const value = await tool.run(ctx, (args ?? {}) as never);
      return resultOf(value, tool.secrets ?? [], output);
    } catch (err) {
      return errorResult(err, output);
    }
  });
  return server;
}
