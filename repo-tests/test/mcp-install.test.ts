// `npx @sdk/mcp --help` works once published: pack @sdk/mcp and the workspace packages it needs, install
// the tarballs with plain npm into an empty project, and run the package's bin through npx (which runs
// the locally installed one). Also: what it installs of ours is exactly its runtime closure, never
// @sdk/query, and the install size is reported.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import {
  dirSize,
  isInternalName,
  npmEnv,
  packPackages,
  removeDir,
  run,
  runOk,
  runtimeClosure,
  tempDir,
} from "./support/workspace.ts";

const TIMEOUT = 300_000;

test(
  "@sdk/mcp: npm installs it from its tarball; `npx @sdk/mcp --help` and `--version` run the bin",
  async () => {
    const needed = runtimeClosure("@sdk/mcp");
    expect(needed).toEqual([
      "@core/http",
      "@sdk/auth",
      "@sdk/errors",
      "@sdk/iam",
      "@sdk/mcp",
      "@sdk/mock-api",
    ]);
    const work = tempDir("install-mcp");
    try {
      const tarballs = await packPackages(needed, join(work, "tarballs"));
      const project = join(work, "project");
      mkdirSync(project);
      writeFileSync(
        join(project, "package.json"),
        `${JSON.stringify({ name: "consumer", private: true })}\n`,
      );
      await runOk(
        "npm",
        ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs.values()],
        { cwd: project, env: npmEnv(), timeoutMs: TIMEOUT - 60_000 },
      );
      const nodeModules = join(project, "node_modules");
      for (const name of needed) expect(existsSync(join(nodeModules, name)), name).toBe(true);
      expect(existsSync(join(nodeModules, "@sdk", "query")), "@sdk/mcp must not pull @sdk/query").toBe(false);

      // --offline: npx must find the installed package, never ask the registry for it.
      const help = await run("npx", ["--offline", "@sdk/mcp", "--help"], { cwd: project, env: npmEnv() });
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: sdk-mcp \[options\]/);
      expect(help.stdout).toContain("--allow-token-minting");
      const version = await runOk("npx", ["--offline", "@sdk/mcp", "--version"], {
        cwd: project,
        env: npmEnv(),
      });
      expect(version.trim()).toMatch(/^@sdk\/mcp \d+\.\d+\.\d+$/);

      const ours = needed.reduce((sum, name) => sum + dirSize(join(nodeModules, name)), 0);
      const total = dirSize(nodeModules);
      expect(needed.every(isInternalName)).toBe(true);
      console.log(
        `npm install @sdk/mcp: node_modules ${(total / 1024 / 1024).toFixed(1)} MB (ours ${(ours / 1024).toFixed(0)} KB)`,
      );
    } finally {
      removeDir(work);
    }
  },
  TIMEOUT,
);
