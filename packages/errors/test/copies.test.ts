// Two installed copies of @sdk/errors (a dependency tree with two versions, or ESM and CJS loaded side by
// side) have different class objects. `instanceof` must still work between them, by brand.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import * as source from "../src/index.js";

type ErrorsModule = typeof source;
const require = createRequire(import.meta.url);
const dist = join(import.meta.dirname, "../dist");

// Copy B: the published ESM build. Copy C: the CJS build, loaded by Node's own require.
const esm = (await import("../dist/index.js")) as unknown as ErrorsModule;
const cjs = require(join(dist, "index.cjs")) as ErrorsModule;
// Copy D: a second installation elsewhere on disk, as a package manager would lay it out.
const elsewhere = mkdtempSync(join(tmpdir(), "sdk-errors-copy-"));
cpSync(dist, join(elsewhere, "node_modules/@sdk/errors/dist"), { recursive: true });
writeFileSync(
  join(elsewhere, "node_modules/@sdk/errors/package.json"),
  JSON.stringify({ name: "@sdk/errors", main: "./dist/index.cjs" }),
);
const copy = createRequire(join(elsewhere, "index.js"))("@sdk/errors") as ErrorsModule;
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

const copies: [string, ErrorsModule][] = [
  ["src", source],
  ["esm", esm],
  ["cjs", cjs],
  ["copy", copy],
];
const request = { method: "GET", url: "https://api.example.com/v1/x" };

function samples(m: ErrorsModule) {
  return {
    SDKError: new m.SDKError("x"),
    APIError: new m.APIError({ status: 500, headers: new Headers(), body: "", request }),
    InvalidRequestError: new m.InvalidRequestError("op", []),
    ResponseValidationError: new m.ResponseValidationError({
      operation: "op",
      issues: [],
      status: 200,
      headers: new Headers(),
      body: "",
    }),
    ConnectionError: new m.ConnectionError(request, new Error("reset")),
    RequestTimeoutError: new m.RequestTimeoutError(request, 5),
    RequestAbortedError: new m.RequestAbortedError(request),
  };
}

describe("instanceof across copies", () => {
  it("loads genuinely different class objects", () => {
    const classes = new Set(copies.map(([, m]) => m.APIError));
    expect(classes.size).toBe(4);
  });

  it.each(copies)(
    "errors made by %s match the classes of every copy, and only the right ones",
    (name, made) => {
      for (const [errorName, error] of Object.entries(samples(made))) {
        for (const [other, m] of copies) {
          for (const className of Object.keys(samples(m)) as (keyof ReturnType<typeof samples>)[]) {
            const expected = className === errorName || className === "SDKError";
            expect(
              error instanceof m[className],
              `${name} ${errorName} instanceof ${other}.${className}`,
            ).toBe(expected);
          }
        }
      }
    },
  );

  it("distinguishes subclasses defined on different copies", () => {
    class AuthErrorA extends esm.APIError {
      static override readonly kind: string = "@test/auth.AuthError";
    }
    class AuthErrorB extends copy.APIError {
      static override readonly kind: string = "@test/auth.AuthError";
    }
    class QuotaErrorB extends AuthErrorB {
      static override readonly kind: string = "@test/auth.QuotaError";
    }
    const fromA = new AuthErrorA({ status: 401, headers: new Headers(), body: "", request });
    expect(fromA).toBeInstanceOf(AuthErrorB);
    expect(fromA).toBeInstanceOf(cjs.APIError);
    expect(fromA).toBeInstanceOf(source.SDKError);
    expect(fromA).not.toBeInstanceOf(QuotaErrorB);
    expect(fromA).not.toBeInstanceOf(copy.InvalidRequestError);
    const quota = new QuotaErrorB({ status: 429, headers: new Headers(), body: "", request });
    expect(quota).toBeInstanceOf(AuthErrorA);
    expect(quota).toBeInstanceOf(esm.APIError);
  });

  it("keeps redaction and cause in every copy", () => {
    for (const [, m] of copies) {
      const cause = new Error("inner");
      const error = new m.APIError({
        status: 401,
        headers: new Headers({ authorization: "Bearer canary-token-xyz" }),
        body: '{"access_token":"canary-token-xyz"}',
        request,
        cause,
      });
      expect(error.cause).toBe(cause);
      for (const text of [error.message, error.stack, String(error), JSON.stringify(error), inspect(error)]) {
        expect(text).not.toContain("canary-token-xyz");
      }
    }
  });
});
