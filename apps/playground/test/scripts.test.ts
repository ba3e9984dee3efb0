// The two terminal entry points: `pnpm tour` (also `pnpm playground --tour`) and `pnpm playground`.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const APP = fileURLToPath(new URL("..", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

function run(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, args, { cwd: APP, env: { ...process.env, NO_COLOR: "1" } });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}

describe("the terminal tour", () => {
  it("runs every operation and the deliberate errors, then exits 0", async () => {
    const tour = run(["scripts/start.mjs", "--tour"]);
    const code = await tour.exit;
    const output = tour.output();
    expect(output).toMatch(
      /^@sdk\/playground tour against the embedded mock API at http:\/\/127\.0\.0\.1:\d+/,
    );
    for (const line of [
      /✓ validateApiKey\(\) +200 · acme-sandbox \(free\)/,
      /✓ getUser\(\) +Ada Lovelace <ada@acme\.example>/,
      /✓ getAccessToken\(\{ workspaceId \}\) +token /,
      /✓ getAccess\(.*\) +level allowed/,
      /InvalidRequestError workspaceId: .*\(nothing sent\)/,
      /AuthError 401/,
      /200 after 3 attempts \(503, 503, 200\)/,
      /RequestTimeoutError after 300 ms/,
      /ResponseValidationError level:/,
      /250 keys in 3 pages/,
      /✓ verifyAccessToken\(token, \{ keys, audience, issuer \}\) +verified [0-9a-f-]{36} \(SERVICE_ACCOUNT, key [0-9a-f-]{36}\), aud apexapis\.com/,
      /with an automatic bearer token/,
      /StatusError 401 code 16: .*SERVICE_ACCOUNT_UNKNOWN/,
      /StatusError 500 after 4 attempts/,
      /\d+ steps, all as expected\./,
    ]) {
      expect(output).toMatch(line);
    }
    expect(output).not.toContain("✗");
    expect(output).not.toContain("PRIVATE KEY");
    expect(code).toBe(0);
  });
});

describe("pnpm playground", () => {
  it("prints both URLs, serves the page and its config, and stops cleanly on Ctrl-C", async () => {
    const server = run(["scripts/start.mjs", "--port", "0", "--mock-port", "0"]);
    try {
      const started = Date.now();
      while (!/Mock API/.test(server.output()) && Date.now() - started < 15_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const web = /Playground +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(server.output())?.[1];
      const mock = /Mock API +(http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1];
      expect(web, server.output()).toBeDefined();
      expect(mock).toBeDefined();
      const html = await (await fetch(web!)).text();
      expect(html).toContain('<div id="app">');
      expect(await (await fetch(`${web}playground-config.json`)).json()).toEqual({ mockUrl: mock });
      expect((await fetch(`${mock}/__mock/credentials`)).status).toBe(200);
      server.child.kill("SIGINT");
      expect(await server.exit).toBe(0);
      await expect(fetch(`${mock}/__mock/credentials`)).rejects.toThrow();
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
  });
});

// Ctrl-C in a terminal sends SIGINT to the whole foreground process group: pnpm, the shell running the
// script and node. Without `exec` in the script, the shell died of the signal and pnpm printed ELIFECYCLE
// with a failure exit code; with it, node is the script's process: it handles SIGINT, closes both servers
// and exits 0, and pnpm (which forwards a second SIGINT) exits 0 too.
describe("Ctrl-C through pnpm", () => {
  it("the root scripts `exec` node after building", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    for (const [name, target] of [
      ["playground", "apps/playground/scripts/start.mjs"],
      ["mock", "packages/mock-api/dist/cli.js"],
    ] as const) {
      expect(scripts[name]).toMatch(new RegExp(`&& exec node ${target.replaceAll(".", "\\.")}$`));
    }
    const app = JSON.parse(readFileSync(join(APP, "package.json"), "utf8")).scripts;
    expect(app.start).toBe("exec node scripts/start.mjs");
  });

  // The same chain as `pnpm playground` minus the build step (a build inside the test run could rewrite
  // dist/ under other packages' running tests): pnpm → sh → exec node, SIGINT to the whole group.
  it("`pnpm --filter @sdk/playground start`: exits quietly with code 0", { timeout: 120_000 }, async () => {
    const child = spawn("pnpm", ["--filter", "@sdk/playground", "start", "--port", "0", "--mock-port", "0"], {
      cwd: ROOT,
      detached: true, // its own process group, like a terminal's foreground job
      env: { ...process.env, NO_COLOR: "1" },
    });
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    try {
      const started = Date.now();
      const ready = /Mock API +(http:\/\/127\.0\.0\.1:\d+)/;
      while (!ready.test(output) && child.exitCode === null && Date.now() - started < 90_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const url = ready.exec(output)?.[1];
      expect(url, output).toBeDefined();
      process.kill(-child.pid!, "SIGINT");
      expect(await exit, output).toEqual({ code: 0, signal: null });
      expect(output).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/);
      await expect(fetch(`${url}/__mock/credentials`)).rejects.toThrow(); // really stopped
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    }
  });
});
