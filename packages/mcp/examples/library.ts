// The README's "As a library" example, compiled by `pnpm typecheck` (test/readme.test.ts checks it is verbatim).
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { configFromEnv, createSdkMcpServer } from "@sdk/mcp";

const server = createSdkMcpServer(configFromEnv(process.env), { allowTokenMinting: false });
await server.connect(new StdioServerTransport());
