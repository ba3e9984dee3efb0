// Runs the BUILT cli (turbo runs `test` after `build`).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededCredentials } from "../src/index.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

function start(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: "", ...env },
  });
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

  // Under `pnpm mock`, Ctrl-C brings two SIGINTs: the terminal's and the one pnpm forwards.
  it("exits 0 on a second SIGINT that arrives while closing", async () => {
    const { child, url } = start(["--port", "0", "--quiet"]);
    try {
      await url;
      child.kill("SIGINT");
      child.kill("SIGINT");
      expect(await exited(child)).toEqual({ code: 0, signal: null });
    } finally {
      child.kill("SIGKILL");
    }
  });

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

  describe("a port already in use", () => {
    // A real listener holds a port; the cli is started on it.
    let holder: Server;
    let taken: number;
    beforeAll(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
      taken = (holder.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

    it.each([
      ["--port", (p: number) => ({ args: ["--port", String(p)], env: {} })],
      ["PORT", (p: number) => ({ args: [], env: { PORT: String(p) } })],
    ])("asked for with %s: exit 1, naming the port and how to pick another", async (_how, how) => {
      const { args, env } = how(taken);
      const { child, url, output } = start(args, env);
      url.catch(() => {});
      expect((await exited(child)).code).toBe(1);
      expect(output()).toContain(`port ${taken} on 127.0.0.1 is already in use`);
      expect(output()).toContain("--port");
      expect(output()).toContain("PORT=");
      expect(output()).not.toMatch(/^\s+at /m); // no stack trace
    });

    it("the default 4010, not asked for: a free port is used and printed", async () => {
      // Hold 4010 (or find it already held by someone else: taken either way).
      const default4010 = createServer();
      const held = await new Promise<boolean>((resolve) => {
        default4010.once("error", () => resolve(false));
        default4010.listen(4010, "127.0.0.1", () => resolve(true));
      });
      const { child, url, output } = start([]);
      try {
        const base = await url;
        expect(base).not.toBe("http://127.0.0.1:4010");
        expect(output()).toContain(
          `Port 4010 is in use (another mock or playground?): using ${new URL(base).port}`,
        );
        expect((await fetch(`${base}/__mock/credentials`)).status).toBe(200);
      } finally {
        child.kill("SIGKILL");
        if (held) await new Promise<void>((resolve) => default4010.close(() => resolve()));
      }
    });

    it("PORT picks the port when --port is absent", async () => {
      const { child, url } = start([], { PORT: "0" });
      try {
        expect(await url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      } finally {
        child.kill("SIGKILL");
      }
    });
  });
});
