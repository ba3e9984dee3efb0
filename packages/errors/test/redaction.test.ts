// No credential reaches message, stack, toString(), JSON.stringify() or util.inspect() of any error, and
// the redaction helpers mask what they must without eating ordinary text.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  APIError,
  ConnectionError,
  InvalidRequestError,
  isSensitiveHeader,
  isSensitiveKey,
  REDACTED,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseValidationError,
  redactHeaders,
  redactText,
  redactValue,
  SDKError,
} from "../src/index.js";

// Canary credentials: distinctive values that must never be rendered.
const C = {
  apiKey: "canary_api_key_Q7x9",
  bearer: "canaryBearerTokenZ31",
  basic: "Y2FuYXJ5OnBhc3N3b3Jk",
  jwt: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5",
  pem: "-----BEGIN PRIVATE KEY-----\nMIIEcanaryPEMbody\n-----END PRIVATE KEY-----",
  accessToken: "canary-access-token-77",
  password: "canary-password-55",
  workspace: "canary-workspace-id-44",
  secret: "canary-client-secret-66",
};
const CANARIES = Object.values(C);

/** Every way an error can be shown: the assertion is that none of them contains a canary. */
function renderings(error: Error): Record<string, string> {
  return {
    message: error.message,
    stack: error.stack ?? "",
    toString: error.toString(),
    String: String(error),
    json: JSON.stringify(error),
    jsonWrapped: JSON.stringify({ error }),
    inspect: inspect(error),
    inspectDeep: inspect({ error }, { depth: 10 }),
    template: `${error}`,
  };
}

function expectClean(error: Error) {
  for (const [how, text] of Object.entries(renderings(error))) {
    for (const canary of CANARIES) {
      // Any fragment of the PEM body counts too.
      const needle = canary.includes("PRIVATE KEY") ? "MIIEcanaryPEMbody" : canary;
      expect(text, `${error.name} ${how} leaks ${needle}`).not.toContain(needle);
    }
  }
}

const request = { method: "POST", url: "https://api.example.com/v1/token" };

describe("errors never render a credential", () => {
  it("APIError whose body echoes tokens, with credential headers", () => {
    const body = JSON.stringify({
      message: `invalid token ${C.jwt}`,
      access_token: C.accessToken,
      "x-api-key": C.apiKey,
      authorization: `Basic ${C.basic}`,
      request: { headers: { Authorization: `Bearer ${C.bearer}` }, password: C.password },
      private_key: C.pem,
      client_secret: C.secret,
      workspace_identifier: C.workspace,
    });
    const error = new APIError({
      status: 401,
      statusText: "Unauthorized",
      headers: new Headers({
        authorization: `Bearer ${C.bearer}`,
        "x-api-key": C.apiKey,
        "set-cookie": `session=${C.accessToken}`,
        "x-workspace-identifier": C.workspace,
        "www-authenticate": `Bearer error="invalid_token", token="${C.accessToken}"`,
      }),
      body,
      data: JSON.parse(body),
      request,
      cause: new Error(`upstream said: Bearer ${C.bearer}`),
    });
    expectClean(error);
    // The raw values stay available to code that reads them on purpose.
    expect(error.body).toBe(body);
    expect(error.headers.get("x-api-key")).toBe(C.apiKey);
    // Still useful: status and non-secret fields survive.
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({ status: 401, name: "APIError" });
    expect(json.headers.authorization).toBe(REDACTED);
  });

  it("APIError with a plain-text body echoing credentials in key=value and header form", () => {
    const body = `bad request: api_key=${C.apiKey}&password=${C.password}\nAuthorization: Bearer ${C.bearer}\nx-api-key: ${C.apiKey}\nclient_secret=${C.secret}`;
    expectClean(
      new APIError({ status: 400, headers: new Headers({ "content-type": "text/plain" }), body, request }),
    );
  });

  it("ResponseValidationError keeps the body but never shows it", () => {
    const body = JSON.stringify({ access_token: C.accessToken, jws: C.jwt, token_type: 5 });
    const error = new ResponseValidationError({
      operation: "generateAccessToken",
      issues: [{ path: "token_type", expected: "string", received: "number", message: "expected string" }],
      status: 200,
      headers: new Headers({ authorization: `Bearer ${C.bearer}` }),
      body,
      cause: new SyntaxError(`Unexpected token in JSON: {"access_token": "${C.accessToken}"`),
    });
    expectClean(error);
    expect(error.body).toBe(body);
  });

  it("ConnectionError whose cause mentions a credential", () => {
    const cause = new TypeError("fetch failed", {
      cause: new Error(`proxy rejected Authorization: Bearer ${C.bearer} for ${C.jwt}`),
    });
    expectClean(new ConnectionError(request, cause));
  });

  it("RequestTimeoutError, RequestAbortedError and SDKError with credential-bearing causes", () => {
    expectClean(new RequestTimeoutError(request, 100, { cause: new Error(`token=${C.accessToken}`) }));
    expectClean(new RequestAbortedError(request, new Error(`aborted while sending ${C.jwt}`)));
    expectClean(new SDKError(`hook failed for Bearer ${C.bearer}`, { cause: { password: C.password } }));
  });

  it("InvalidRequestError built from a message that carried a key", () => {
    expectClean(
      new InvalidRequestError("op", [
        { path: "apiKey", expected: "string", received: "number", message: `bad api_key: ${C.apiKey}` },
      ]),
    );
  });
});

describe("redactText", () => {
  it("removes JWTs, PEM blocks, bearer values and credential key/values", () => {
    expect(redactText(`token ${C.jwt} here`)).toBe(`token ${REDACTED} here`);
    expect(redactText(`key:\n${C.pem}\nend`)).toBe(`key:\n${REDACTED}\nend`);
    expect(redactText(`Authorization: Bearer ${C.bearer}`)).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText(`{"access_token": "${C.accessToken}", "expires_in": 3600}`)).toBe(
      `{"access_token": "${REDACTED}", "expires_in": 3600}`,
    );
    expect(redactText(`?api_key=${C.apiKey}&page=2`)).not.toContain(C.apiKey);
    expect(redactText(`?api_key=${C.apiKey}&page=2`)).toContain("page=2");
  });

  it("masks camelCase and prefixed JSON keys", () => {
    for (const key of [
      "clientSecret",
      "userPassword",
      "accessToken",
      "x-api-key",
      "apiKeyAuth",
      "privateKey",
    ]) {
      expect(redactText(`{"${key}":"${C.secret}","ok":1}`), key).toBe(`{"${key}":"${REDACTED}","ok":1}`);
    }
  });

  it("covers the credential names of redactValue in text too", () => {
    for (const key of [
      "x-api-key",
      "api-key",
      "authorization",
      "workspace_identifier",
      "client_secret",
      "password",
    ]) {
      expect(redactText(`"${key}": "${C.secret}"`), key).not.toContain(C.secret);
      expect(redactText(`${key}=${C.secret}`), key).not.toContain(C.secret);
    }
  });

  it("keeps validation messages about credential-named fields readable", () => {
    const error = new InvalidRequestError("generateAccessToken", [
      { path: "jws", expected: "string", received: "number", message: "expected string, received number" },
    ]);
    expect(error.message).toBe(
      "Invalid input for generateAccessToken: jws: expected string, received number",
    );
  });

  it("keeps the words after a credential-named field in prose", () => {
    for (const message of [
      "security.apiKey: must be a string",
      "headers.x-api-key: is not a valid HTTP header",
      "token: is required in the path",
    ]) {
      expect(redactText(message)).toBe(message);
    }
    expect(redactText(`apiKey: ${C.apiKey} is wrong`)).toBe(`apiKey: "${REDACTED}" is wrong`);
  });

  it("finds a JWT after a prefix or punctuation, not inside a word", () => {
    expect(redactText(`key sk-${C.jwt} tok_${C.jwt}`)).toBe(`key sk-${REDACTED} tok_${REDACTED}`);
    expect(redactText(`(${C.jwt}).`)).toBe(`(${REDACTED}).`);
    expect(redactText(`${C.jwt}.more`)).toBe(`${REDACTED}.more`);
    expect(redactText("theyJust.said.so")).toBe("theyJust.said.so");
  });

  it("takes linear time on a body made to backtrack (vitest's timeout bounds it)", () => {
    // Before the JWT pattern had to start a word, 300 KB of "eyJ" took tens of seconds.
    for (const hostile of ["eyJ".repeat(100_000), "eyJ-".repeat(75_000), `${"a".repeat(300_000)}.b.c`]) {
      expect(redactText(hostile)).toBe(hostile);
    }
  });

  it("keeps the scheme of an Authorization value", () => {
    expect(redactText(`Authorization: Basic ${C.basic}`)).toBe(`Authorization: Basic ${REDACTED}`);
    expect(redactText(`{"authorization":"Bearer ${C.bearer}"}`)).toBe(
      `{"authorization":"Bearer ${REDACTED}"}`,
    );
  });

  it("leaves ordinary text alone", () => {
    const text =
      'GET /v1/things failed with 404 Not Found: no such thing (page 2 of 3, tokens left: 5, "token_type": "Bearer") in generateAccessToken: done';
    expect(redactText(text)).toBe(text);
  });
});

describe("redactValue and redactHeaders", () => {
  it("masks credential-named keys at any depth, keeps the rest", () => {
    const value = {
      user: { id: "u-1", apiKey: C.apiKey, nested: [{ refresh_token: C.accessToken, ok: true }] },
      privateKey: C.pem,
      created: new Date(0),
      note: `carries ${C.jwt}`,
      empty: null,
    };
    expect(redactValue(value)).toEqual({
      user: { id: "u-1", apiKey: REDACTED, nested: [{ refresh_token: REDACTED, ok: true }] },
      privateKey: REDACTED,
      created: new Date(0),
      note: `carries ${REDACTED}`,
      empty: null,
    });
  });

  it("hides what is deeper than any model rather than show it unredacted", () => {
    let deep: Record<string, unknown> = { password: C.apiKey };
    for (let i = 0; i < 12; i++) deep = { level: deep };
    expect(JSON.stringify(redactValue(deep))).not.toContain(C.apiKey);
  });

  it("masks credential headers from Headers, records and entry lists", () => {
    const expected = { authorization: REDACTED, "x-api-key": REDACTED, accept: "application/json" };
    const init = { Authorization: `Bearer ${C.bearer}`, "X-Api-Key": C.apiKey, Accept: "application/json" };
    expect(redactHeaders(new Headers(init))).toEqual(expected);
    expect(redactHeaders(init)).toEqual(expected);
    expect(redactHeaders(Object.entries(init))).toEqual(expected);
    expect(redactHeaders(undefined)).toEqual({});
  });

  it("knows the sensitive names whatever their case or separators", () => {
    for (const name of [
      "Authorization",
      "X-API-KEY",
      "x-workspace-identifier",
      "Cookie",
      "Proxy-Authorization",
    ]) {
      expect(isSensitiveHeader(name), name).toBe(true);
    }
    // Vendor headers that say what they carry.
    for (const name of ["x-auth-token", "api-key", "x-amz-security-token", "x-session-id", "x-signature"]) {
      expect(isSensitiveHeader(name), name).toBe(true);
    }
    expect(isSensitiveHeader("content-type")).toBe(false);
    expect(isSensitiveHeader("x-request-id")).toBe(false);
    for (const key of ["access_token", "accessToken", "PRIVATE_KEY", "client-secret", "jws", "apiKey"]) {
      expect(isSensitiveKey(key), key).toBe(true);
    }
    expect(isSensitiveKey("token_type")).toBe(false);
  });
});
