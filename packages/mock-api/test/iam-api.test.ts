import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type MockApi, seed, seededCredentials, startMockApi } from "../src/index.js";
import { call, decodeJwtPart, postJson, signServiceAccountJws } from "./helpers.js";

const iam = seededCredentials.iam;
const KEY = { "x-api-key": iam.apiKey };

let server: MockApi;
beforeAll(async () => {
  server = await startMockApi({ port: 0 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const tokenUrl = () => `${server.url}/iam/v1/serviceAccounts:generateAccessToken`;
const jwsNow = (creds = iam.serviceAccount, opts: Parameters<typeof signServiceAccountJws>[1] = {}) =>
  signServiceAccountJws(creds, { at: server.clock.now(), ...opts });

async function getToken(creds = iam.serviceAccount): Promise<string> {
  const r = await postJson(tokenUrl(), { jws: jwsNow(creds) }, KEY);
  expect(r.status).toBe(200);
  return r.body.access_token;
}

async function allKeys(s: MockApi, pageSize?: number) {
  const keys: any[] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  do {
    const q = new URLSearchParams();
    if (pageSize) q.set("page_size", String(pageSize));
    if (token) q.set("page_token", token);
    const r = await call(`${s.url}/iam/v1/keys?${q}`, { headers: KEY });
    expect(r.status).toBe(200);
    keys.push(...r.body.keys);
    token = r.body.next_page_token;
    if (token) tokens.push(token);
  } while (token);
  return { keys, tokens };
}

describe("x-api-key on every IAM route", () => {
  it.each([
    ["POST", "/iam/v1/serviceAccounts:generateAccessToken"],
    ["GET", "/iam/v1/keys"],
    ["GET", "/iam/v1/whoami"],
  ])("%s %s: 401 Status code 16 when missing or unknown", async (method, path) => {
    const variants: Record<string, string>[] = [{}, { "x-api-key": iam.unknownApiKey }];
    for (const headers of variants) {
      const r = await call(`${server.url}${path}`, { method, headers });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: 16, message: expect.any(String) });
      expect(r.body.details[0]).toMatchObject({
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: expect.stringMatching(/^API_KEY_(MISSING|INVALID)$/),
      });
    }
  });

  it("the secondary key works too", async () => {
    const r = await call(`${server.url}/iam/v1/keys?page_size=1`, {
      headers: { "x-api-key": iam.apiKeys[1]! },
    });
    expect(r.status).toBe(200);
  });
});

describe("POST /iam/v1/serviceAccounts:generateAccessToken", () => {
  it("exchanges a JWS signed with the seeded credentials for a real, verifiable PS256 token", async () => {
    const r = await postJson(tokenUrl(), { jws: jwsNow() }, KEY);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: "Bearer" });
    const header = decodeJwtPart(r.body.access_token, 0);
    const claims = decodeJwtPart(r.body.access_token, 1);
    expect(header).toMatchObject({ alg: "PS256", typ: "JWT", kid: server.issuer.activeKid });
    // The shape of upstream's tokens: nothing more (no name/organization), nothing less.
    expect(iam.issuer).toBe("apexapis.com");
    expect(Object.keys(claims).sort()).toEqual(
      ["aud", "exp", "iat", "identity_class", "iss", "jti", "nbf", "sa_kid", "sub"].sort(),
    );
    expect(claims).toMatchObject({
      iss: "apexapis.com",
      aud: "apexapis.com",
      sub: iam.serviceAccountIds[0],
      identity_class: "SERVICE_ACCOUNT",
      sa_kid: seed.serviceAccounts[0]!.keyId,
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    });
    expect(claims.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.iat).toBe(Math.floor(server.clock.now() / 1000));

    // Verify with WebCrypto against the LISTED key, the way an SDK would.
    const { keys } = await allKeys(server);
    const jwk = keys.find((k) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    const key = await crypto.subtle.importKey("jwk", jwk, { name: "RSA-PSS", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const [h, p, s] = r.body.access_token.split(".");
    const ok = await crypto.subtle.verify(
      { name: "RSA-PSS", saltLength: 32 },
      key,
      Buffer.from(s, "base64url"),
      new TextEncoder().encode(`${h}.${p}`),
    );
    expect(ok).toBe(true);
    // A filler key must not verify it (kid matching matters).
    const filler = keys.find((k) => !server.issuer.signingKids.includes(k.kid));
    const fillerKey = await crypto.subtle.importKey(
      "jwk",
      filler,
      { name: "RSA-PSS", hash: "SHA-256" },
      false,
      ["verify"],
    );
    const wrong = await crypto.subtle.verify(
      { name: "RSA-PSS", saltLength: 32 },
      fillerKey,
      Buffer.from(s, "base64url"),
      new TextEncoder().encode(`${h}.${p}`),
    );
    expect(wrong).toBe(false);
  });

  it("works for the second service account and with RS256 tokens when configured", async () => {
    const s = await startMockApi({ tokenAlgorithm: "RS256", accessTokenTtlSeconds: 90000 });
    try {
      const r = await postJson(
        `${s.url}/iam/v1/serviceAccounts:generateAccessToken`,
        { jws: signServiceAccountJws(iam.serviceAccounts[1]!) },
        KEY,
      );
      expect(r.body.expires_in).toBe(90000);
      expect(decodeJwtPart(r.body.access_token, 0).alg).toBe("RS256");
      expect(decodeJwtPart(r.body.access_token, 1).sub).toBe(iam.serviceAccountIds[1]);
      const who = await call(`${s.url}/iam/v1/whoami`, {
        headers: { ...KEY, authorization: `Bearer ${r.body.access_token}` },
      });
      expect(who.body.name).toBe("LedgerBot");
    } finally {
      await s.close();
    }
  });

  it("accepts a PEM with escaped newlines once unescaped by the client (keys are plain PKCS#8)", () => {
    expect(iam.serviceAccount.privateKey.startsWith("-----BEGIN PRIVATE KEY-----\n")).toBe(true);
    expect(iam.serviceAccount.type).toBe("serviceAccount");
    expect(Object.keys(iam.serviceAccount).sort()).toEqual(["name", "organization", "privateKey", "type"]);
  });

  it("400 code 3 on a bad body", async () => {
    for (const body of [
      "not json",
      "",
      "[]",
      "{}",
      JSON.stringify({ jws: 42 }),
      JSON.stringify({ jws: "" }),
    ]) {
      const r = await postJson(tokenUrl(), body, KEY);
      expect(r.status, body).toBe(400);
      expect(r.body).toMatchObject({ code: 3, details: [{ reason: "INVALID_REQUEST_BODY" }] });
    }
  });

  const rejects = async (jws: string, reason: string) => {
    const r = await postJson(tokenUrl(), { jws }, KEY);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: 16, details: [{ reason }] });
  };

  it("401 code 16 on a malformed JWS", async () => {
    await rejects("not-a-jws", "JWS_MALFORMED");
    await rejects("a.b.c", "JWS_MALFORMED");
    await rejects(jwsNow().split(".").slice(0, 2).join("."), "JWS_MALFORMED");
    await rejects(jwsNow(iam.serviceAccount, { claims: { name: 7 } }), "JWS_MALFORMED");
  });

  it("401 on a bad signature (signed by another key, or tampered)", async () => {
    const forged = signServiceAccountJws(
      {
        ...iam.unknownServiceAccount,
        name: iam.serviceAccount.name,
        organization: iam.serviceAccount.organization,
      },
      { at: server.clock.now() },
    );
    await rejects(forged, "JWS_SIGNATURE_INVALID");
    const [h, , s] = jwsNow().split(".");
    const otherClaims = jwsNow(iam.serviceAccount, { claims: { extra: 1 } }).split(".")[1];
    await rejects(`${h}.${otherClaims}.${s}`, "JWS_SIGNATURE_INVALID");
  });

  it("401 on an unknown service account", async () => {
    await rejects(jwsNow(iam.unknownServiceAccount), "SERVICE_ACCOUNT_UNKNOWN");
  });

  it("401 on an algorithm other than RS256", async () => {
    await rejects(jwsNow(iam.serviceAccount, { header: { alg: "none" } }), "JWS_ALGORITHM_UNSUPPORTED");
    await rejects(jwsNow(iam.serviceAccount, { header: { alg: "HS256" } }), "JWS_ALGORITHM_UNSUPPORTED");
  });

  it("401 when datetime is outside +-5 minutes of the server clock (replay)", async () => {
    const old = jwsNow();
    server.clock.advance(4 * 60_000);
    expect((await postJson(tokenUrl(), { jws: old }, KEY)).status).toBe(200);
    server.clock.advance(2 * 60_000);
    await rejects(old, "JWS_DATETIME_OUT_OF_RANGE");
    await rejects(
      jwsNow(iam.serviceAccount, { at: server.clock.now() + 6 * 60_000 }),
      "JWS_DATETIME_OUT_OF_RANGE",
    );
    await rejects(
      jwsNow(iam.serviceAccount, { claims: { datetime: "yesterday" } }),
      "JWS_DATETIME_OUT_OF_RANGE",
    );
  });
});

describe("GET /iam/v1/keys", () => {
  it("default page size is 100; 250 keys walk in 3 pages with no duplicates", async () => {
    const first = await call(`${server.url}/iam/v1/keys`, { headers: KEY });
    expect(first.body.keys).toHaveLength(100);
    const { keys, tokens } = await allKeys(server);
    expect(keys).toHaveLength(250);
    expect(tokens).toHaveLength(2);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(250);
    for (const k of keys) {
      expect(k).toMatchObject({
        kty: "RSA",
        kid: expect.stringMatching(/^[0-9a-f]{64}$/),
        e: "AQAB",
        use: "sig",
      });
      expect(k.alg).toBe("PS256");
    }
    for (const kid of server.issuer.signingKids) expect(keys.some((k) => k.kid === kid)).toBe(true);
    // Stable order across walks and page sizes.
    const again = await allKeys(server, 7);
    expect(again.keys.map((k) => k.kid)).toEqual(keys.map((k) => k.kid));
  });

  it("the last page has no next_page_token", async () => {
    const r = await call(`${server.url}/iam/v1/keys?page_size=1000`, { headers: KEY });
    expect(r.body.keys).toHaveLength(250);
    expect(r.body).not.toHaveProperty("next_page_token");
  });

  it("filler keys are valid RSA JWKs WebCrypto can import (unknown members tolerated)", async () => {
    const r = await call(`${server.url}/iam/v1/keys?page_size=10`, { headers: KEY });
    for (const jwk of r.body.keys) {
      const key = await crypto.subtle.importKey("jwk", jwk, { name: "RSA-PSS", hash: "SHA-256" }, true, [
        "verify",
      ]);
      expect(key.type).toBe("public");
    }
    expect(r.body.keys.some((k: { x5t?: string }) => typeof k.x5t === "string")).toBe(true);
  });

  it.each(["0", "1001", "-1", "abc", "1.5", ""])("400 code 3 for page_size=%j", async (size) => {
    const r = await call(`${server.url}/iam/v1/keys?page_size=${size}`, { headers: KEY });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 3, details: [{ reason: "INVALID_PAGE_SIZE" }] });
  });

  it("page_size bounds 1 and 1000 are accepted", async () => {
    expect((await call(`${server.url}/iam/v1/keys?page_size=1`, { headers: KEY })).body.keys).toHaveLength(1);
    expect((await call(`${server.url}/iam/v1/keys?page_size=1000`, { headers: KEY })).status).toBe(200);
  });

  it("400 code 3 for an invalid page token", async () => {
    const valid = (await call(`${server.url}/iam/v1/keys?page_size=5`, { headers: KEY })).body
      .next_page_token;
    const forged = Buffer.from("5.000000000000").toString("base64url");
    const beyond = Buffer.from(`999.${"0".repeat(12)}`).toString("base64url");
    for (const token of ["garbage!", "ZXhhbXBsZQo", forged, beyond, `${valid}x`]) {
      const r = await call(`${server.url}/iam/v1/keys?page_token=${encodeURIComponent(token)}`, {
        headers: KEY,
      });
      expect(r.status, token).toBe(400);
      expect(r.body).toMatchObject({ code: 3, details: [{ reason: "INVALID_PAGE_TOKEN" }] });
    }
  });

  it("lists 100,000 keys cheaply", async () => {
    const s = await startMockApi({ signingKeyCount: 100_000 });
    try {
      const started = performance.now();
      const r = await call(`${s.url}/iam/v1/keys?page_size=1000`, { headers: KEY });
      expect(r.body.keys).toHaveLength(1000);
      expect(s.issuer.keyCount).toBe(100_000);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await s.close();
    }
  });
});

describe("GET /iam/v1/whoami (protected, not in the contract)", () => {
  const whoami = (token: string) =>
    call(`${server.url}/iam/v1/whoami`, { headers: { ...KEY, authorization: `Bearer ${token}` } });

  it("200 with a fresh access token", async () => {
    const token = await getToken();
    const r = await whoami(token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      sub: iam.serviceAccountIds[0],
      name: iam.serviceAccount.name,
      organization: iam.serviceAccount.organization,
      exp: decodeJwtPart(token, 1).exp,
    });
  });

  const expectReason = (r: { status: number; body: any }, reason: string) => {
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: 16, details: [{ reason }] });
  };

  it("TOKEN_EXPIRED once the clock passes exp", async () => {
    const token = await getToken();
    server.clock.advance(3599_000);
    expect((await whoami(token)).status).toBe(200);
    server.clock.advance(1_000);
    expectReason(await whoami(token), "TOKEN_EXPIRED");
  });

  it("TOKEN_REVOKED after revokeTokens(), new tokens still work", async () => {
    const token = await getToken();
    server.revokeTokens();
    expectReason(await whoami(token), "TOKEN_REVOKED");
    expect((await whoami(await getToken())).status).toBe(200);
  });

  it("TOKEN_REVOKED for a token issued before reset()", async () => {
    const token = await getToken();
    server.reset();
    expectReason(await whoami(token), "TOKEN_REVOKED");
  });

  it("TOKEN_INVALID for garbage, a tampered token, a missing bearer", async () => {
    expectReason(await whoami("garbage"), "TOKEN_INVALID");
    const [h, p, s] = (await getToken()).split(".");
    const other = decodeJwtPart(`${h}.${p}.${s}`, 1);
    const tampered = Buffer.from(JSON.stringify({ ...other, sub: "serviceAccounts/evil" })).toString(
      "base64url",
    );
    expectReason(await whoami(`${h}.${tampered}.${s}`), "TOKEN_INVALID");
    // A token signed by the service account itself is not an access token.
    expectReason(await whoami(jwsNow()), "TOKEN_INVALID");
    const none = await call(`${server.url}/iam/v1/whoami`, { headers: KEY });
    expectReason(none, "TOKEN_INVALID");
  });
});
