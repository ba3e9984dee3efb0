import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The SDK runs in browsers and edge runtimes: runtime code may use web platform APIs only.
// (tsconfig.src.json also type-checks src/ without @types/node.)

const root = join(import.meta.dirname, "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const NODE_ONLY = [
  /from\s+["']node:/,
  /require\(\s*["'](?:node:)?(?:crypto|fs|path|util|buffer|http|https|os|stream)["']\s*\)/,
  /from\s+["'](?:crypto|fs|path|util|buffer|http|https|os|stream|jsonwebtoken)["']/,
  /\bBuffer\./,
  /\bprocess\./,
];

describe("runtime code is platform-neutral", () => {
  it.each(files(join(root, "src")).map((f) => [f.slice(root.length + 1), f]))(
    "%s uses no Node built-ins",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      for (const pattern of NODE_ONLY) expect(text).not.toMatch(pattern);
    },
  );

  it("the service-account code signs and verifies with WebCrypto only", () => {
    const dir = join(root, "src", "service-account");
    const text = files(dir)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    expect(text).toContain("crypto?.subtle");
    expect(text).not.toMatch(/createPrivateKey|createSign|jsonwebtoken/);
  });
});

describe("package identity", () => {
  it("reports the name and version of package.json (so a version bump reaches the user agent)", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
      version: string;
    };
    const { IamCore } = await import("../src/index.js");
    const { IAM_SERVERS } = await import("../src/schemas.js");
    const core = new IamCore();
    expect(core.api.sdk).toBe(pkg.name);
    expect(core.api.version).toBe(pkg.version);
    expect(core.toJSON()).toEqual({ sdk: `${pkg.name}@${pkg.version}`, serverURL: IAM_SERVERS.uat });
  });
});
