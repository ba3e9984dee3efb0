// The runtime matrix: cases/scenario.mjs (validate an API key, list signing keys page by page, get a
// service-account token, a protected call, verify a token, a protected call after the first token
// expired) on every runtime, from the built packages, against @sdk/mock-api on 127.0.0.1:<free port>.
// Bun and Deno are the npm packages `bun` and `deno` (their platform binary comes as an optional
// dependency); a case whose binary cannot run here is skipped with the reason printed. workerd runs
// through miniflare, Vercel's edge runtime through `edge-runtime`; Chromium is apps/playground's e2e test.
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { type MockApi, startMockApi } from "@sdk/mock-api";
import { build } from "esbuild";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

const HERE = join(import.meta.dirname, "..");
const CASES = join(HERE, "cases");
const TTL_SECONDS = 60;

let server: MockApi;
let input: Record<string, unknown>;
let expected: Record<string, unknown>;

beforeAll(async () => {
  server = await startMockApi({ port: 0, accessTokenTtlSeconds: TTL_SECONDS });
  const { auth, iam } = server.credentials;
  input = {
    url: server.url,
    ttlSeconds: TTL_SECONDS,
    auth: { apiKey: auth.apiKey },
    iam: { apiKey: iam.apiKey, serviceAccount: JSON.stringify(iam.serviceAccount), issuer: iam.issuer },
  };
  // What the scenario must report, read from the mock itself (raw fetch), not from the SDK.
  const details = await fetch(`${server.url}/v1/auth/validate`, { headers: { "x-api-key": auth.apiKey } });
  const sub = iam.serviceAccountIds[0];
  expected = {
    workspaceSlug: ((await details.json()) as { workspace_slug: string }).workspace_slug,
    pages: Math.ceil(server.issuer.keyCount / 100),
    keys: server.issuer.keyCount,
    tokenType: "Bearer",
    whoami: sub,
    verifiedSub: sub,
    tokenRequests: 1,
    whoamiAfterExpiry: sub,
    tokenRequestsAfterExpiry: 2,
  };
});
afterAll(() => server?.close());
beforeEach(() => server.reset());

/** Checks the scenario's report and, in the mock's log, that the expired token was refused once. */
function expectScenario(result: Record<string, unknown>) {
  expect(result.error, "the scenario threw").toBeUndefined();
  expect(result).toMatchObject(expected);
  const whoami = server.requests.filter((r) => r.path === "/iam/v1/whoami").map((r) => r.status);
  expect(whoami, "whoami: 200, then 401 (expired) and 200 after renewal").toEqual([200, 401, 200]);
}

/** Runs a case in a child process; async, as the mock API answers from this process's event loop. */
function runProcess(command: string, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: CASES,
        env: { ...process.env, SDK_RUNTIME_INPUT: JSON.stringify(input), DENO_NO_UPDATE_CHECK: "1" },
        encoding: "utf8",
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")}: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").at(-1)!));
      },
    );
  });
}

/** Why `bin --version` cannot run here (printed, and the case skipped), or undefined when it runs. */
function cannotRun(bin: string): string | undefined {
  const result = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (result.status === 0) return undefined;
  const reason = `${bin} --version: ${result.error?.message ?? `exit ${result.status} ${result.stderr}`}`;
  console.log(`SKIPPED: ${reason}`);
  return reason;
}

const BUN = join(HERE, "node_modules", ".bin", "bun");
const DENO = join(HERE, "node_modules", ".bin", "deno");

describe.sequential("runtime matrix (one scenario, every runtime)", () => {
  test("Node ESM (import)", async () => {
    expectScenario(await runProcess(process.execPath, ["run.mjs"]));
  });

  test("Node CommonJS (require, dist/index.cjs)", async () => {
    const result = await runProcess(process.execPath, ["run.cjs"]);
    expect(result.resolved).toMatch(/[\\/]dist[\\/]index\.cjs$/);
    expectScenario(result);
  });

  test.skipIf(cannotRun(BUN))("Bun (npm package `bun`)", async () => {
    expectScenario(await runProcess(BUN, ["run.mjs"]));
  });

  test.skipIf(cannotRun(DENO))("Deno (npm package `deno`, node_modules resolution)", async () => {
    const allow = new URL(server.url).host;
    expectScenario(
      await runProcess(DENO, [
        "run",
        "--node-modules-dir=manual",
        `--allow-net=${allow}`,
        "--allow-env=SDK_RUNTIME_INPUT",
        "--allow-read",
        "run.mjs",
      ]),
    );
  });

  /** The worker bundled as a deployment tool would (esbuild, browser platform, no Node built-ins). */
  const bundle = async (format: "esm" | "iife") => {
    const out = await build({
      entryPoints: [join(CASES, "worker.mjs")],
      bundle: true,
      write: false,
      format,
      platform: "browser",
      target: "es2022",
      logLevel: "silent",
    });
    return out.outputFiles[0]!.text;
  };
  const post = (path: string) => ({ path, init: { method: "POST", body: JSON.stringify(input) } });

  test("workerd (miniflare): two requests to one isolate, the second after the first token expired", async () => {
    const { Miniflare } = await import("miniflare");
    const mf = new Miniflare({ modules: true, script: await bundle("esm"), compatibilityDate: "2026-04-01" });
    try {
      const results: Record<string, unknown>[] = [];
      for (const { path, init } of [post("/first"), post("/after-expiry")]) {
        const res = await mf.dispatchFetch(`http://worker${path}`, init);
        results.push((await res.json()) as Record<string, unknown>);
      }
      expectScenario(Object.assign({}, ...results));
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  test("edge-runtime (Vercel): two fetch events to one runtime, the second after the first token expired", async () => {
    const { EdgeRuntime } = await import("edge-runtime");
    const runtime = new EdgeRuntime({ initialCode: await bundle("iife") });
    const results: Record<string, unknown>[] = [];
    for (const { path, init } of [post("/first"), post("/after-expiry")]) {
      const res = await runtime.dispatchFetch(`http://edge${path}`, init);
      results.push((await res.json()) as Record<string, unknown>);
      await res.waitUntil();
    }
    expectScenario(Object.assign({}, ...results));
  }, 60_000);
});
