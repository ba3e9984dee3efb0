// `pnpm bench` is not part of `pnpm test` (figures need a quiet machine and minutes), so nothing would
// notice it breaking. This runs it end to end with tiny counts (`--smoke`) and checks the report's
// shape: every section and contender present, every figure a positive number. No timing is asserted.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const QUALITY = new URL("..", import.meta.url).pathname;
const CONTENDERS = [
  "raw fetch",
  "raw fetch again (A/A)",
  "raw fetch + valibot",
  "bare ofetch",
  "ofetch + valibot",
  "@core/http (harness op)",
];
const positive = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value > 0;

type Row = { ratio: number; ratioToStack: number; cpuUsPerRequest: number; requestsPerSecond: number };
let report: Record<string, any>;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ["--expose-gc", "bench/run.mjs", "--smoke"], {
    cwd: QUALITY,
    maxBuffer: 16 * 1024 * 1024,
  });
  report = JSON.parse(await readFile(`${QUALITY}results/bench-smoke.json`, "utf8"));
}, 120_000);

describe("pnpm bench, smoke run (tiny counts)", () => {
  it("per request, sequential and at concurrency 64: raw fetch, bare ofetch, ofetch + valibot and both SDKs, as ratios", () => {
    for (const section of ["sequential", "concurrency64"]) {
      for (const [scenario, sdk] of [
        ["validateApiKey", ["@sdk/auth AuthClient", "@sdk/auth standalone"]],
        ["listSigningKeys (100 keys/page)", ["@sdk/iam IamClient", "@sdk/iam standalone"]],
      ] as const) {
        const rows: Record<string, Row> = report[section][scenario];
        expect(Object.keys(rows), `${section} ${scenario}`).toEqual([...CONTENDERS, ...sdk]);
        expect(rows["raw fetch"]!.ratio).toBe(1);
        expect(rows["ofetch + valibot"]!.ratioToStack).toBe(1);
        for (const row of Object.values(rows)) {
          const figures = [row.ratio, row.ratioToStack, row.cpuUsPerRequest, row.requestsPerSecond];
          expect(figures.every(positive)).toBe(true);
        }
      }
    }
  });

  it("protected calls with a cached service-account token", () => {
    for (const section of ["sequential", "concurrency64"]) {
      expect(Object.keys(report.protected[section])).toEqual([
        "raw fetch",
        "raw fetch again (A/A)",
        "raw fetch + valibot",
        "bare ofetch",
        "ofetch + valibot",
        "@sdk/iam defineProtectedOperation",
        "@sdk/iam callProtected",
      ]);
    }
  });

  it("a CPU profile summarized by package, with our code in it", () => {
    const categories = report.profile.categories.map((c: { category: string }) => c.category);
    expect(categories).toContain("@core/http");
    expect(report.profile.functions.length).toBeGreaterThan(0);
  });

  it("cold import of every package, with the @sdk/iam budget", () => {
    expect(Object.keys(report.imports)).toEqual([
      "@sdk/errors",
      "@core/http",
      "@sdk/auth",
      "@sdk/iam",
      "@sdk/mock-api",
    ]);
    expect(Object.values(report.imports).every((r: any) => positive(r.medianMs))).toBe(true);
    expect(report.imports["@sdk/iam"].budgetMs).toBe(40);
  });

  it("the listing: every key, time per key, retained and peak heap, the capped run", () => {
    const { listing } = report;
    expect(listing.keys).toBe(20_000);
    for (const row of Object.values(listing.contenders) as { nsPerKey: number }[]) {
      expect(positive(row.nsPerKey)).toBe(true);
    }
    expect(listing.heap.peakPerWindowMB).toHaveLength(10);
    expect(listing.heap.boundedRun).toMatchObject({ ok: true, count: 20_000, oldSpaceLimitMB: 32 });
    expect(listing.heap.flat).toBe(true);
  });
});
