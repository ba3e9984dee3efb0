// Soak: 20,000 calls at concurrency 64 against the mock API (in a child process) with 20% seeded faults.
// Every call must settle with the right data or the error its fault calls for; nothing may stay
// unhandled, the heap must come back to where it started, and no handle may outlive the clients.
import { mkdirSync, writeFileSync } from "node:fs";
import { AuthClient } from "@sdk/auth";
import {
  APIError,
  ConnectionError,
  RequestTimeoutError,
  ResponseValidationError,
  SDKError,
} from "@sdk/errors";
import { IamClient, parseServiceAccountCredentials } from "@sdk/iam";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackHandles } from "./support/handles.js";
import { type MockProcess, startMockProcess } from "./support/mock-process.js";
import { pick, prng } from "./support/prng.js";

const CALLS = 20_000;
const WARMUP = 1_000;
const CONCURRENCY = 64;
const FAULT_RATE = 0.2;
const TIMEOUT_MS = 100; // on calls whose fault is a delay past it
// Far past TIMEOUT_MS: on a busy 2-core machine a timer can fire hundreds of ms late, and a reply that
// arrives first is data. The client stops waiting at the timeout, so this costs the calls no time.
const FAULT_DELAY_MS = 3000;
const SEED = 20_261_123;

type Op = "validateApiKey" | "listSigningKeys" | "whoami";
type Outcome =
  | { kind: "data"; check?: "empty-keys" | "unknown-enum" }
  | { kind: "error"; type: Function; status?: number };

interface Fault {
  name: string;
  header: string;
  ops: readonly Op[];
  expect: (op: Op) => Outcome;
}

const ALL: readonly Op[] = ["validateApiKey", "listSigningKeys", "whoami"];
const fail = (type: Function, status?: number): Outcome => ({ kind: "error", type, status });
const data: Outcome = { kind: "data" };

// Fault → what the caller must see, with retries on (429/503 and connection errors, at most 2 retries).
// The fault header rides on every attempt, so a retried fault fails again, except fail-then-succeed.
const FAULTS: readonly Fault[] = [
  { name: "reset", header: "reset", ops: ALL, expect: () => fail(ConnectionError) },
  {
    name: "delay past the timeout",
    header: `delay;ms=${FAULT_DELAY_MS}`,
    ops: ALL,
    expect: () => fail(RequestTimeoutError),
  },
  {
    name: "429 + Retry-After",
    header: "status;status=429;retryAfter=1",
    ops: ALL,
    expect: () => fail(APIError, 429),
  },
  {
    name: "503 + Retry-After",
    header: "status;status=503;retryAfter=1",
    ops: ALL,
    expect: () => fail(APIError, 503),
  },
  {
    name: "503 twice, then success",
    header: "fail-then-succeed;times=2;status=503",
    ops: ALL,
    expect: () => data,
  },
  { name: "truncated body", header: "truncate", ops: ALL, expect: () => fail(ResponseValidationError) },
  { name: "HTML 502", header: "html", ops: ALL, expect: () => fail(APIError, 502) },
  {
    name: "wrong content type",
    header: "content-type",
    ops: ALL,
    expect: () => fail(ResponseValidationError),
  },
  { name: "drift: extra field", header: "drift;mode=extra-field", ops: ALL, expect: () => data },
  {
    name: "drift: missing field",
    header: "drift;mode=missing-field",
    ops: ALL,
    // `keys` is optional in the IAM contract (absent = no keys); `workspace_id` and `sub` are required.
    expect: (op) =>
      op === "listSigningKeys" ? { kind: "data", check: "empty-keys" } : fail(ResponseValidationError),
  },
  {
    name: "drift: unknown enum value",
    header: "drift;mode=unknown-enum",
    ops: ["validateApiKey", "listSigningKeys"],
    expect: () => ({ kind: "data", check: "unknown-enum" }), // open enums: data, not an error
  },
  { name: "expired token", header: "expired-token", ops: ["whoami"], expect: () => fail(APIError, 401) },
  { name: "revoked token", header: "revoked-token", ops: ["whoami"], expect: () => fail(APIError, 401) },
];

const Whoami = v.object({ sub: v.string(), name: v.string(), organization: v.string(), exp: v.number() });

let server: MockProcess;
let auth: AuthClient;
let iam: IamClient;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let handles: ReturnType<typeof trackHandles>;

/** Starts the server and the clients; called first thing in a test, so vitest's own timers match. */
async function start(): Promise<void> {
  handles = trackHandles();
  server = await startMockProcess();
  const retries = {
    strategy: "backoff" as const,
    backoff: { initialInterval: 1, maxInterval: 5, exponent: 2, maxElapsedTime: 10_000 },
    retryConnectionErrors: true,
    statusCodes: [429, 503],
    maxRetries: 2,
  };
  auth = new AuthClient({
    serverURL: server.url,
    security: { apiKey: server.credentials.auth.apiKey },
    retries,
  });
  iam = new IamClient({
    serverURL: server.url,
    retries,
    security: {
      apiKeyAuth: server.credentials.iam.apiKey,
      serviceAccount: parseServiceAccountCredentials(JSON.stringify(server.credentials.iam.serviceAccount)),
    },
  });
}

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server?.close();
});

function call(op: Op, headers: Record<string, string>, timeoutMs: number | undefined): Promise<any> {
  const options = { headers, ...(timeoutMs ? { timeoutMs } : {}) };
  if (op === "validateApiKey") return auth.validateApiKey(options);
  if (op === "listSigningKeys") return iam.listSigningKeys({ pageSize: 5 }, options);
  return iam.callProtected({ path: "/iam/v1/whoami", output: Whoami }, options);
}

/** Throws when the settled result is not what `expected` calls for. */
function verify(op: Op, expected: Outcome, result: PromiseSettledResult<any>): void {
  const { credentials } = server;
  if (expected.kind === "error") {
    if (result.status === "fulfilled") throw new Error(`expected ${expected.type.name}, got data`);
    const error: { status?: number } = result.reason;
    if (!(error instanceof expected.type)) throw new Error(`expected ${expected.type.name}, got ${error}`);
    if (expected.status !== undefined && error.status !== expected.status) {
      throw new Error(`expected status ${expected.status}, got ${error.status}`);
    }
    return;
  }
  if (result.status === "rejected") throw new Error(`expected data, got ${result.reason}`);
  const value = result.value;
  if (op === "validateApiKey") {
    if (value.workspaceId !== credentials.auth.workspaceId) throw new Error("wrong workspace");
    if (expected.check === "unknown-enum" && value.accountTypeV2 !== "hyper-scale")
      throw new Error("enum lost");
  } else if (op === "listSigningKeys") {
    const count = expected.check === "empty-keys" ? 0 : 5;
    if (value.keys.length !== count) throw new Error(`expected ${count} keys, got ${value.keys.length}`);
    if (count && !value.keys.every((k: any) => typeof k.kid === "string")) throw new Error("key without kid");
    if (expected.check === "unknown-enum" && value.keys[0].kty !== "PQC") throw new Error("enum lost");
  } else if (value.sub !== credentials.iam.serviceAccountIds[0]) {
    throw new Error("wrong subject");
  }
}

interface Stats {
  calls: number;
  faulted: number;
  succeeded: number;
  failedAsExpected: number;
  mismatches: string[];
  byFault: Record<string, number>;
  errors: Record<string, number>;
}

async function run(count: number, random: () => number, keyPrefix: string): Promise<Stats> {
  const stats: Stats = {
    calls: 0,
    faulted: 0,
    succeeded: 0,
    failedAsExpected: 0,
    mismatches: [],
    byFault: {},
    errors: {},
  };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const r = random();
      const op: Op = r < 0.45 ? "validateApiKey" : r < 0.8 ? "listSigningKeys" : "whoami";
      let fault: Fault | undefined;
      if (random() < FAULT_RATE)
        fault = pick(
          random,
          FAULTS.filter((f) => f.ops.includes(op)),
        );
      const headers: Record<string, string> = {};
      if (fault) {
        headers["x-mock-fault"] = fault.header;
        headers["x-mock-fault-key"] = `${keyPrefix}-${i}`;
      }
      const expected = fault ? fault.expect(op) : data;
      const timeout = fault?.header.startsWith("delay") ? TIMEOUT_MS : undefined;
      const [result] = await Promise.allSettled([call(op, headers, timeout)]);
      stats.calls++;
      if (fault) {
        stats.faulted++;
        stats.byFault[fault.name] = (stats.byFault[fault.name] ?? 0) + 1;
      }
      if (result!.status === "fulfilled") stats.succeeded++;
      else {
        const name = (result!.reason as Error)?.name ?? typeof result!.reason;
        stats.errors[name] = (stats.errors[name] ?? 0) + 1;
        if (!(result!.reason instanceof SDKError)) stats.mismatches.push(`${op}: untyped ${result!.reason}`);
      }
      try {
        verify(op, expected, result!);
        if (result!.status === "rejected") stats.failedAsExpected++;
      } catch (error) {
        stats.mismatches.push(`${op} / ${fault?.name ?? "no fault"}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return stats;
}

/** Closes the server, then lists the handles created since `start()` that are still open. */
async function closeAndListLeftovers(): Promise<string[]> {
  await server.close();
  // Sockets close asynchronously after the server goes away: give them a moment.
  for (let i = 0; i < 50 && handles.open().length; i++) await new Promise((r) => setTimeout(r, 20));
  handles.stop();
  return handles.open();
}

function heapAfterGC(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc (vitest.config.ts sets it)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("soak", () => {
  it(`${CALLS.toLocaleString("en")} calls at concurrency ${CONCURRENCY}, ${FAULT_RATE * 100}% seeded faults`, async () => {
    await start();
    const random = prng(SEED);
    const warmup = await run(WARMUP, random, "warmup");
    expect(warmup.mismatches).toEqual([]);
    const heapStart = heapAfterGC();

    const started = performance.now();
    const stats = await run(CALLS, random, "soak");
    const elapsedMs = performance.now() - started;
    // The last delayed requests stay open until the mock (another process) answers them, though the
    // clients gave up at the timeout: let them close, so the heap is what the SDK keeps, not those sockets.
    await new Promise((resolve) => setTimeout(resolve, FAULT_DELAY_MS + 200));
    const heapEnd = heapAfterGC();
    const leftOpen = await closeAndListLeftovers();

    const report = {
      ...stats,
      mismatches: stats.mismatches.length,
      elapsedMs: Math.round(elapsedMs),
      callsPerSecond: Math.round(CALLS / (elapsedMs / 1000)),
      heapStartMB: +(heapStart / 2 ** 20).toFixed(1),
      heapEndMB: +(heapEnd / 2 ** 20).toFixed(1),
      heapGrowth: +(heapEnd / heapStart - 1).toFixed(3),
      leftOpen,
      tokenStats: iam.serviceAccountTokens.stats(),
    };
    console.log("soak:", report);
    mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
    writeFileSync(new URL("../results/soak.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);

    expect(stats.mismatches.slice(0, 10)).toEqual([]);
    expect(stats.calls).toBe(CALLS);
    expect(stats.succeeded + stats.failedAsExpected).toBe(CALLS);
    expect(stats.faulted / CALLS).toBeGreaterThan(FAULT_RATE - 0.02);
    expect(stats.faulted / CALLS).toBeLessThan(FAULT_RATE + 0.02);
    expect(Object.keys(stats.byFault).length).toBe(FAULTS.length); // every fault kind was exercised
    expect(unhandled).toEqual([]);
    expect(heapEnd).toBeLessThanOrEqual(heapStart * 1.2);
    expect(leftOpen).toEqual([]); // no socket, timer or child process outlives the clients and the server
  }, 480_000); // ~125 s at load ~20 on 2 cores: Retry-After (1 s here) is a floor now, and every retry waits ≥ 100 ms
});
