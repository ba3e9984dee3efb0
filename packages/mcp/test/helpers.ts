// Spawns the BUILT server (bin/sdk-mcp.js → dist/cli.js; turbo runs `test` after `build`) and talks
// to it with the official MCP client over stdio, as Claude Desktop or any MCP host would.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { MockApi } from "@sdk/mock-api";

export const BIN = fileURLToPath(new URL("../bin/sdk-mcp.js", import.meta.url));

export interface ToolOutput {
  isError: boolean;
  parts: string[];
  text: string;
  /** The last part parsed as JSON (a SECRET warning may come before it). */
  json(): Record<string, unknown>;
}

export interface Session {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Calls a tool: its text contents (`parts`, and joined by newlines) and whether it is an error. */
  call(name: string, args?: Record<string, unknown>): Promise<ToolOutput>;
  close(): Promise<void>;
}

/** The environment that points the server at `mock` with its seeded credentials. */
export function mockEnv(mock: MockApi): Record<string, string> {
  return {
    REGISTRY_API_KEY: mock.credentials.auth.apiKey,
    REGISTRY_SERVER_URL: mock.url,
    IAM_API_KEY: mock.credentials.iam.apiKey,
    IAM_SERVER_URL: mock.url,
  };
}

/** Starts `sdk-mcp ...args` with exactly `env` (plus PATH) and connects a client to it. */
export async function connect(args: string[], env: Record<string, string>): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, ...args],
    env: { PATH: process.env.PATH ?? "", ...env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "sdk-mcp-test", version: "0.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      const parts = result.content.map((item) => (item.type === "text" ? item.text : `[${item.type}]`));
      return {
        isError: result.isError === true,
        parts,
        text: parts.join("\n"),
        json: () => JSON.parse(parts[parts.length - 1] ?? "null") as Record<string, unknown>,
      };
    },
    close: () => client.close(),
  };
}

/** Runs the bin to completion (for --help, --version and start-up failures). */
export function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    input: "",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
