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

describe("module structure", () => {
  /** Value imports only (`import type` is erased and cannot form a cycle at run time). */
  function valueImports(file: string): string[] {
    const text = readFileSync(file, "utf8");
    const out: string[] = [];
    for (const m of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+"(\.[^"]+)";/gms)) {
      out.push(join(file, "..", m[1]!.replace(/\.js$/, ".ts")));
    }
    return out;
  }

  it("src has no import cycle (e.g. jws -> credentials -> tokens -> jws)", () => {
    const all = files(join(root, "src")).filter((f) => f.endsWith(".ts"));
    const graph = new Map(all.map((f) => [f, valueImports(f)]));
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (path.includes(file)) {
        cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => f.slice(root.length + 5)).join(" -> "),
        );
        return;
      }
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    };
    for (const file of all.filter((f) => f.includes("service-account"))) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it("jose is loaded by the first verification, not by importing the package", async () => {
    const { execFileSync } = await import("node:child_process");
    const dist = new URL("../dist/index.js", import.meta.url).href;
    const script = `
      import { register } from "node:module";
      register("data:text/javascript," + encodeURIComponent(
        'export async function resolve(s, c, next) { if (s.startsWith("jose")) console.log("JOSE " + s); return next(s, c); }'));
      const iam = await import(${JSON.stringify(dist)});
      console.log("IMPORTED");
      const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const token = b64({ alg: "RS256", kid: "k" }) + "." + b64({ exp: 1 }) + ".AAAA";
      const error = await iam.verifyAccessToken(token, { keys: [] }).catch((e) => e);
      console.log("REASON " + error.reason);
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe("IMPORTED");
    expect(lines).toContain("JOSE jose/jwt/verify");
    expect(lines.at(-1)).toBe("REASON unknown_kid");
  });
});
