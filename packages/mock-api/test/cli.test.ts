// Runs the BUILT cli (turbo runs `test` after `build`).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { seededCredentials } from "../src/index.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

function start(args: string[]): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`cli exited early (${code}): ${out}`)));
  });
  return { child, url, output: () => out };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null) resolve({ code: child.exitCode, signal: null });
    else child.on("exit", (code, signal) => resolve({ code, signal }));
  });

describe("cli (dist/cli.js)", () => {
  it("is built, with a shebang", () => {
    expect(existsSync(cli), "run `pnpm --filter @sdk/mock-api build` first").toBe(true);
    expect(readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it.each(["SIGINT", "SIGTERM"] as const)(
    "serves, prints the seeded credentials, exits 0 on %s",
    async (signal) => {
      const { child, url, output } = start(["--port", "0"]);
      try {
        const base = await url;
        const r = await fetch(`${base}/v1/auth/validate`, {
          headers: { "x-api-key": seededCredentials.auth.apiKey },
        });
        expect(r.status).toBe(200);
        expect(((await r.json()) as { workspace_id: string }).workspace_id).toBe(
          seededCredentials.auth.workspaceId,
        );
        expect(output()).toContain(seededCredentials.auth.apiKey);
        expect(output()).toContain(seededCredentials.iam.apiKey);
        expect(output()).not.toContain("PRIVATE KEY"); // private keys only via /__mock/credentials
        child.kill(signal);
        expect(await exited(child)).toEqual({ code: 0, signal: null });
      } finally {
        child.kill("SIGKILL");
      }
    },
  );

  it("refuses a non-loopback host (exit 1)", async () => {
    const { child, url, output } = start(["--port", "0", "--host", "0.0.0.0"]);
    url.catch(() => {});
    expect((await exited(child)).code).toBe(1);
    expect(output()).toMatch(/loopback/);
  });

  it("rejects a bad --port (exit 2)", async () => {
    const { child, url } = start(["--port", "abc"]);
    url.catch(() => {});
    expect((await exited(child)).code).toBe(2);
  });
});
