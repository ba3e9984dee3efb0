#!/usr/bin/env node
// `sdk-mcp [--mock] [--allow-token-minting] [--reveal-secrets]`: the MCP server on stdio. stdout is
// the protocol channel: everything for humans goes to stderr.
import { parseArgs } from "node:util";
import { SDKError } from "@sdk/errors";
import { parseServiceAccountCredentials } from "@sdk/iam";
import { name as PACKAGE_NAME, version as PACKAGE_VERSION } from "../package.json";
// Built entries, kept external by tsdown.config.ts: the bin runs dist/, not a copy. The MCP SDK (via
// ./index.js) is imported only once a server starts: --help and --version do not pay for it.
import {
  CREDENTIAL_VARIABLES,
  type Credential,
  configFromEnv,
  ENV,
  hasCredential,
  type McpConfig,
  TOOLS,
} from "./registry.js";

const VARIABLES: [string, string][] = [
  [ENV.registryApiKey, "x-api-key of the registry Auth API (auth_* tools but auth_getAccessToken)"],
  [ENV.registryServerURL, "Auth API base URL (default https://api.prod.speakeasy.com)"],
  [ENV.iamApiKey, "x-api-key of the IAM API (iam_* tools)"],
  [
    ENV.iamServiceAccountFile,
    "path of a service-account credentials JSON (iam_generateServiceAccountToken without jws)",
  ],
  [ENV.iamServer, "uat (default), prod or sbx"],
  [ENV.iamServerURL, "IAM API base URL; wins over IAM_SERVER"],
];

const USAGE = `Usage: sdk-mcp [options]

A Model Context Protocol server on stdio exposing the @sdk/auth and @sdk/iam operations as tools.
Read-only by default; access tokens never appear in tool output unless --reveal-secrets.

Options:
  --mock                 start the embedded mock API (@sdk/mock-api) on 127.0.0.1 and use its
                         seeded TEST credentials (environment variables are then ignored)
  --allow-token-minting  also serve the tools that mint access tokens
  --reveal-secrets       return minted access tokens in tool output, marked SECRET (default: hidden)
  -h, --help             print this help and exit
  -v, --version          print the version and exit

Environment (a missing credential fails only the tools that need it, naming the variable;
a set but unusable value stops the server at start):
${VARIABLES.map(([name, what]) => `  ${name.padEnd(25)}${what}`).join("\n")}

Tools:
${TOOLS.map((tool) => `  ${tool.name.padEnd(33)}${tool.access === "mint" ? "mints tokens: needs --allow-token-minting" : "read"}`).join("\n")}
`;

const log = (line: string) => process.stderr.write(`sdk-mcp: ${line}\n`);

/** The embedded mock API and a configuration pointing at it with its seeded credentials. */
async function startMock(): Promise<{ config: McpConfig; close: () => Promise<void> }> {
  // Loaded only with --mock: a server on real APIs never evaluates the mock.
  const { startMockApi } = await import("@sdk/mock-api");
  // logRequests: false, as stdout is the MCP channel.
  const mock = await startMockApi({ port: 0, host: "127.0.0.1", logRequests: false });
  const { auth, iam } = mock.credentials;
  const config: McpConfig = {
    auth: { apiKey: auth.apiKey, serverURL: mock.url },
    iam: {
      apiKey: iam.apiKey,
      serviceAccount: parseServiceAccountCredentials(iam.serviceAccount),
      serverURL: mock.url,
    },
    source: `the embedded mock API at ${mock.url} with its seeded TEST credentials`,
  };
  return { config, close: () => mock.close() };
}

async function main(): Promise<void> {
  let flags: Record<string, boolean | undefined>;
  try {
    ({ values: flags } = parseArgs({
      options: {
        mock: { type: "boolean" },
        "allow-token-minting": { type: "boolean" },
        "reveal-secrets": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`sdk-mcp: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (flags.help) return void process.stdout.write(USAGE);
  if (flags.version) return void process.stdout.write(`${PACKAGE_NAME} ${PACKAGE_VERSION}\n`);

  const mock = flags.mock ? await startMock() : undefined;
  const config = mock ? mock.config : configFromEnv(process.env);
  const [{ createSdkMcpServer }, { StdioServerTransport }] = await Promise.all([
    import("./index.js"),
    import("@modelcontextprotocol/sdk/server/stdio.js"),
  ]);
  const server = createSdkMcpServer(config, {
    allowTokenMinting: flags["allow-token-minting"] === true,
    revealSecrets: flags["reveal-secrets"] === true,
  });
  log(`using ${config.source}`);
  for (const [credential, variable] of Object.entries(CREDENTIAL_VARIABLES)) {
    if (!hasCredential(config, credential as Credential))
      log(`${variable} is not set: the tools that need it will fail`);
  }

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    Promise.allSettled([server.close(), mock?.close()]).then(() => process.exit(0));
  };
  // The client ends the session by closing our stdin (or by a signal); the mock must not keep us alive.
  process.stdin.once("end", shutdown);
  process.stdin.once("close", shutdown);
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  await server.connect(new StdioServerTransport());
}

main().catch((err: unknown) => {
  // Our errors are credential-free; anything else is shown by name only.
  const message = err instanceof SDKError ? err.message : `unexpected ${(err as Error)?.name ?? "error"}`;
  log(message);
  process.exit(1);
});
