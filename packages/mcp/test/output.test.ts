// What a tool result may show: unit tests of output.ts (the server tests cover it end to end).
import { REDACTED, SDKError } from "@sdk/errors";
import { describe, expect, it } from "vitest";
import { errorResult, HIDDEN_SECRET, type OutputOptions, resultOf } from "../src/output.js";

const KEY = "sk_live_0123456789abcdef";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const hidden: OutputOptions = { revealSecrets: false, scrub: [KEY] };
const revealed: OutputOptions = { revealSecrets: true, scrub: [KEY] };
const texts = (result: { content: { type: string; text?: string }[] }) =>
  result.content.map((c) => c.text ?? "");

describe("resultOf", () => {
  const value = { accessToken: JWT, claims: { nested: { token: "abc", note: `bearer ${JWT}` } }, n: 1 };

  it("hides declared secrets and redacts credential-shaped values everywhere else", () => {
    const result = resultOf(value, ["accessToken"], hidden);
    expect(result.isError).toBeUndefined();
    expect(JSON.parse(texts(result)[0]!)).toEqual({
      accessToken: HIDDEN_SECRET,
      claims: { nested: { token: REDACTED, note: `bearer ${REDACTED}` } },
      n: 1,
    });
  });

  it("reveals only the declared secrets, after a SECRET warning", () => {
    const [warning, json] = texts(resultOf(value, ["accessToken"], revealed));
    expect(warning).toMatch(/^SECRET: `accessToken` below is a live credential\./);
    expect(JSON.parse(json!)).toMatchObject({ accessToken: JWT, claims: { nested: { token: REDACTED } } });
  });

  it("no warning when the declared secret is absent; configured credentials are scrubbed from any text", () => {
    const result = resultOf({ echo: `key=${KEY}`, plain: `x ${KEY} y` }, ["accessToken"], revealed);
    expect(texts(result)).toHaveLength(1);
    expect(texts(result)[0]).not.toContain(KEY);
  });

  it("non-object results (arrays, null) pass through the redaction", () => {
    expect(JSON.parse(texts(resultOf([JWT], [], hidden))[0]!)).toEqual([REDACTED]);
    expect(texts(resultOf(undefined, [], hidden))[0]).toBe("null");
  });
});

describe("errorResult", () => {
  it("a typed error: its name and message; anything else: redacted, marked unexpected", () => {
    expect(errorResult(new SDKError("boom"), hidden)).toEqual({
      isError: true,
      content: [{ type: "text", text: "SDKError: boom" }],
    });
    const plain = errorResult(new TypeError(`failed with ${KEY} and ${JWT}`), hidden);
    expect(texts(plain)[0]).toMatch(/^Unexpected TypeError: failed with /);
    expect(texts(plain)[0]).not.toContain(KEY);
    expect(texts(plain)[0]).not.toContain(JWT);
    expect(texts(errorResult("a string", hidden))[0]).toBe("Unexpected error (not an Error)");
  });
});
