// The TypeScript the playground shows for each call is code a user pastes: every snippet, in every
// combination of settings that changes it, is written to a file and compiled by `tsc --noEmit` against the
// installed packages (their published types), with the minimal tsconfig.json the root README documents.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ListSigningKeysInputSchema } from "@sdk/iam/schemas";
import { seededCredentials } from "@sdk/mock-api";
import * as v from "valibot";
import { afterAll, describe, expect, it } from "vitest";
import { defaultValues, type FieldValue, numberRange, OPERATIONS } from "../src/operations.js";
import { walkthroughSnippet } from "../src/snippet.js";
import { runtime, type Settings, settings, updateSettings } from "../src/state.js";

const APP = fileURLToPath(new URL("..", import.meta.url));
const ROOT_README = readFileSync(join(APP, "..", "..", "README.md"), "utf8");
const TSCONFIG = /## TypeScript setup[\s\S]*?```json\n([\s\S]*?)```/.exec(ROOT_README)?.[1];

runtime.config = { mockUrl: "http://127.0.0.1:4010" };
runtime.seeded = seededCredentials;
const initial = { ...settings };

/** Settings that change what a snippet says (target, credentials scheme, retries, timeout). */
const VARIANTS: Partial<Settings>[] = [
  {},
  { target: "named", authScheme: "bearer", retriesMode: "none", timeoutMs: 2500 },
  {
    target: "custom",
    customURL: "https://auth.example.com",
    authScheme: "workspaceIdentifier",
    retriesMode: "custom",
  },
];

/** Form values beyond the defaults: filled, emptied, every page. */
const EXTRA_VALUES: Record<string, Record<string, FieldValue>[]> = {
  getAccessToken: [{ workspaceId: "" }, { workspaceId: "ws-1" }],
  getAccess: [{ genLockId: "lock-1", targetType: "typescript", passive: true }],
  listSigningKeys: [{ pageSize: "50", fetch: "all" }, { pageToken: "abc" }],
  callProtected: [{ path: "" }],
};

interface Snippet {
  label: string;
  op: string;
  settings: Partial<Settings>;
  text: string;
}

function allSnippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const variant of VARIANTS) {
    updateSettings({ ...initial, ...variant });
    for (const op of OPERATIONS) {
      for (const extra of [{}, ...(EXTRA_VALUES[op.id] ?? [])]) {
        const values = { ...defaultValues(op), ...extra };
        const text = op.snippet(op.toInput(values), values);
        out.push({
          label: `${op.id} ${JSON.stringify(extra)} ${JSON.stringify(variant)}`,
          op: op.id,
          settings: variant,
          text,
        });
      }
    }
    out.push({
      label: `walkthrough ${JSON.stringify(variant)}`,
      op: "walkthrough",
      settings: variant,
      text: walkthroughSnippet(),
    });
  }
  updateSettings(initial);
  return out;
}

const SNIPPETS = allSnippets();
const TSC = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
const dir = mkdtempSync(join(APP, ".snippet-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("numbers shown in the forms", () => {
  it("come from the SDK's schemas", () => {
    // listSigningKeys' pageSize bounds, read from @sdk/iam's own valibot schema.
    const [min, max] = numberRange(ListSigningKeysInputSchema, "pageSize");
    expect([typeof min, typeof max]).toEqual(["number", "number"]);
    // The schema really refuses just past them (so these are its bounds, not a guess).
    expect(v.safeParse(ListSigningKeysInputSchema, { pageSize: max! + 1 }).success).toBe(false);
    expect(v.safeParse(ListSigningKeysInputSchema, { pageSize: max! }).success).toBe(true);
    expect(v.safeParse(ListSigningKeysInputSchema, { pageSize: min! - 1 }).success).toBe(false);
    const help = OPERATIONS.find((o) => o.id === "listSigningKeys")!.fields.find(
      (f) => f.name === "pageSize",
    )!.help;
    expect(help).toBe(`Keys per page, ${min} to ${max} (empty: the server's default).`);
  });
});

describe("the snippets", () => {
  it("cover every operation and the walk-through", () => {
    expect(new Set(SNIPPETS.map((s) => s.op))).toEqual(
      new Set([...OPERATIONS.map((o) => o.id), "walkthrough"]),
    );
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(30);
  });

  it("compile with `tsc --noEmit` against the packages", { timeout: 180_000 }, () => {
    expect(TSCONFIG, "the root README's TypeScript setup").toBeDefined();
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "tsconfig.json"), TSCONFIG!);
    for (const [i, s] of SNIPPETS.entries()) writeFileSync(join(dir, `snippet-${i}.ts`), s.text);
    const r = spawnSync(process.execPath, [TSC, "--noEmit", "-p", dir], { encoding: "utf8" });
    const errors = `${r.stdout}${r.stderr}`.replace(
      /snippet-(\d+)\.ts/g,
      (_m, i) => `[${SNIPPETS[Number(i)]!.label}]`,
    );
    expect(errors).toBe("");
    expect(r.status).toBe(0);
  });

  it("would catch a snippet that does not compile", { timeout: 60_000 }, () => {
    const bad = mkdtempSync(join(APP, ".snippet-check-"));
    try {
      writeFileSync(join(bad, "package.json"), '{ "type": "module" }\n');
      writeFileSync(join(bad, "tsconfig.json"), TSCONFIG!);
      writeFileSync(
        join(bad, "bad.ts"),
        'import { AuthClient } from "@sdk/auth";\nawait new AuthClient().getAccessToken({ workspaceId: "w", security: {} });\n',
      );
      const r = spawnSync(process.execPath, [TSC, "--noEmit", "-p", bad], { encoding: "utf8" });
      expect(r.status).not.toBe(0);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it.each(SNIPPETS.map((s) => [s.label, s] as const))("%s: what a user would paste", (_label, s) => {
    // No empty required value: read from the environment instead.
    expect(s.text).not.toMatch(/: ""/);
    // Credentials parsed once; never a credential value inline.
    expect(s.text.split("parseServiceAccountCredentials(").length - 1).toBeLessThanOrEqual(1);
    expect(s.text).not.toContain(seededCredentials.auth.apiKey);
    expect(s.text).not.toContain(seededCredentials.iam.apiKey);
    // The SDK's defaults need no option: no retry block, no timeout.
    const retries = (s.settings.retriesMode ?? initial.retriesMode) !== "sdk";
    expect(s.text.includes("retries:")).toBe(retries);
    expect(s.text.includes("timeoutMs:")).toBe((s.settings.timeoutMs ?? initial.timeoutMs) > 0);
    // getAccessToken sends no credentials: its client gets none.
    if (s.op === "getAccessToken") expect(s.text).not.toContain("security");
  });
});
