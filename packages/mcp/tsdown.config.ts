import { defineConfig } from "tsdown";
import { baseConfig } from "../../tsdown.base.ts";

// A stdio server: Node only (node:fs reads the service-account file; stdin/stdout carry the protocol).
const node = { ...baseConfig, platform: "node", target: "node20" } as const;

export default defineConfig([
  // The library (createSdkMcpServer, TOOLS, configFromEnv): ESM + CJS + types, like every package;
  // registry.ts is the bin's light entry (no MCP SDK), not exported.
  { ...node, entry: ["src/index.ts", "src/registry.ts"] },
  // The bin: ESM only, keeps its `#!/usr/bin/env node` line; it imports the library's build, not a copy.
  {
    ...node,
    entry: ["src/cli.ts"],
    format: ["esm"],
    dts: false,
    clean: false,
    external: [/^\.\/(index|registry)\.js$/],
  },
]);
