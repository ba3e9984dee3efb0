import { constants, createHmac, type KeyObject, sign } from "node:crypto";
import { startMockApi } from "@sdk/mock-api";
import { beforeAll, describe, expect, it } from "vitest";
import {
  InvalidRequestError,
  parseServiceAccountCredentials,
  SDKError,
  type SigningKey,
  signServiceAccountJws,
  TokenVerificationError,
  type TokenVerificationReason,
  VERIFY_LIMITS,
  verifyAccessToken,
} from "../src/index.js";
import { clientFor, countRoute, expectNoSecrets, KEYS_ROUTE, pemKeyPair, useMockApi } from "./helpers.js";

const mock = useMockApi();

const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A token signed by a key of our own, for the cases the mock never issues. */
function craft(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject | undefined,
  alg = String(header.alg),
): string {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  let signature: Buffer;
  if (alg === "RS256") signature = sign("sha256", Buffer.from(input), key!);
  else if (alg === "PS256") {
    signature = sign("sha256", Buffer.from(input), {
      key: key!,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
  } else signature = Buffer.alloc(0);
  return `${input}.${b64(signature)}`;
}

const own = pemKeyPair(2048);
const ownJwk = (extra: Partial<SigningKey> = {}): SigningKey => ({
  ...(own.publicKey.export({ format: "jwk" }) as SigningKey),
  kid: "own-key",
  use: "sig",
  ...extra,
});
const NOW = Date.UTC(2025, 5, 1);
const claimsAt = (ms: number, extra: Record<string, unknown> = {}) => ({
  sub: "serviceAccounts/x",
  iat: ms / 1000,
  nbf: ms / 1000,
  exp: ms / 1000 + 3600,
  ...extra,
});

async function reasonOf(promise: Promise<unknown>): Promise<TokenVerificationReason> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenVerificationError);
  expect(error).toBeInstanceOf(SDKError);
  return (error as TokenVerificationError).reason;
}

let token: string;
let keys: SigningKey[];

beforeAll(async () => {
  const iam = clientFor(mock.server);
  const jws = await signServiceAccountJws(
    parseServiceAccountCredentials(mock.server.credentials.iam.serviceAccount),
    {
      now: mock.server.clock.now(),
    },
  );
  token = (await iam.generateServiceAccountToken({ jws })).accessToken;
  keys = [];
  for await (const key of iam.listSigningKeys({ pageSize: 1000 })) keys.push(key);
});

describe("verifyAccessToken", () => {
  it("accepts a token of the API (PS256, kid among 250 listed keys) and returns its claims", async () => {
    const claims = await verifyAccessToken(token, { keys });
    expect(claims.sub).toBe(mock.server.credentials.iam.serviceAccountIds[0]);
    expect(claims.iss).toBe(mock.server.credentials.iam.issuer);
    expect(typeof claims.exp).toBe("number");
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).alg).toBe("PS256");
  });

  it("accepts RS256 tokens too (a server issuing RS256)", async () => {
    const rs = await startMockApi({ tokenAlgorithm: "RS256", signingKeyCount: 5 });
    try {
      const iam = clientFor(rs, { serviceAccount: true });
      const jws = await signServiceAccountJws(
        parseServiceAccountCredentials(rs.credentials.iam.serviceAccount),
        {
          now: rs.clock.now(),
        },
      );
      const rsToken = (await iam.generateServiceAccountToken({ jws })).accessToken;
      expect((await verifyAccessToken(rsToken, { client: iam })).sub).toBeTruthy();
      // The listed keys say alg RS256: the same token relabelled PS256 must not pass.
      const [, payload, signature] = rsToken.split(".");
      const header = JSON.parse(Buffer.from(rsToken.split(".")[0]!, "base64url").toString());
      const relabelled = `${b64(JSON.stringify({ ...header, alg: "PS256" }))}.${payload}.${signature}`;
      expect(await reasonOf(verifyAccessToken(relabelled, { client: iam }))).toBe("unsupported_alg");
    } finally {
      await rs.close();
    }
  });

  it("applies the clock-skew allowance (default 60 s) to exp", async () => {
    const { exp } = await verifyAccessToken(token, { keys });
    await expect(verifyAccessToken(token, { keys, now: exp * 1000 + 59_000 })).resolves.toBeTruthy();
    expect(await reasonOf(verifyAccessToken(token, { keys, now: exp * 1000 + 61_000 }))).toBe("expired");
    expect(await reasonOf(verifyAccessToken(token, { keys, now: exp * 1000, clockSkewSeconds: 0 }))).toBe(
      "expired",
    );
  });

  it("refuses options that would skip the time checks (NaN now or skew) with InvalidRequestError", async () => {
    // An expired token, validly signed: with a NaN clock every `now >= exp` comparison would be false.
    const expired = craft({ alg: "RS256", kid: "own-key" }, claimsAt(NOW - 86_400_000), own.privateKey);
    const keys = [ownJwk()];
    expect(await reasonOf(verifyAccessToken(expired, { keys, now: NOW }))).toBe("expired");
    const bad: [string, unknown][] = [
      ["now", { keys, now: new Date("not a date") }],
      ["now", { keys, now: Number.NaN }],
      ["clockSkewSeconds", { keys, now: NOW, clockSkewSeconds: Number.NaN }],
      ["clockSkewSeconds", { keys, now: NOW, clockSkewSeconds: Number.POSITIVE_INFINITY }],
      ["clockSkewSeconds", { keys, now: NOW, clockSkewSeconds: -1 }],
      ["clockSkewSeconds", { keys, now: NOW, clockSkewSeconds: "60" }],
      ["keys", { now: NOW }],
      ["options", undefined],
    ];
    for (const [path, options] of bad) {
      const error = await verifyAccessToken(expired, options as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).issues[0]?.path, path).toBe(path);
    }
  });

  it("rejects a token that is not valid yet (nbf), with the same allowance", async () => {
    const t = craft({ alg: "RS256", kid: "own-key" }, claimsAt(NOW), own.privateKey);
    const keys = [ownJwk()];
    await expect(verifyAccessToken(t, { keys, now: NOW - 30_000 })).resolves.toBeTruthy();
    expect(await reasonOf(verifyAccessToken(t, { keys, now: NOW - 120_000 }))).toBe("not_yet_valid");
  });

  it("rejects a tampered token: claims changed, or signature changed", async () => {
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = `${header}.${b64(JSON.stringify({ ...claims, sub: "serviceAccounts/admin" }))}.${signature}`;
    expect(await reasonOf(verifyAccessToken(forged, { keys }))).toBe("bad_signature");
    const flipped = `${header}.${payload}.${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    expect(await reasonOf(verifyAccessToken(flipped, { keys }))).toBe("bad_signature");
  });

  it("rejects alg none and HMAC (alg confusion), whatever the kid", async () => {
    const kid = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    const none = craft({ alg: "none", kid }, claims, undefined);
    expect(none.endsWith(".")).toBe(true);
    expect(await reasonOf(verifyAccessToken(none, { keys }))).toBe("unsupported_alg");
    const key = keys.find((k) => k.kid === kid)!;
    const input = `${b64(JSON.stringify({ alg: "HS256", kid }))}.${b64(JSON.stringify(claims))}`;
    const hs256 = `${input}.${b64(createHmac("sha256", String(key.n)).update(input).digest())}`;
    expect(await reasonOf(verifyAccessToken(hs256, { keys }))).toBe("unsupported_alg");
  });

  it("pins the algorithm to the key: a key with alg PS256 refuses RS256, kty must be RSA", async () => {
    const rs = craft({ alg: "RS256", kid: "own-key" }, claimsAt(NOW), own.privateKey);
    await expect(verifyAccessToken(rs, { keys: [ownJwk()], now: NOW })).resolves.toBeTruthy();
    expect(await reasonOf(verifyAccessToken(rs, { keys: [ownJwk({ alg: "PS256" })], now: NOW }))).toBe(
      "unsupported_alg",
    );
    const ps = craft({ alg: "PS256", kid: "own-key" }, claimsAt(NOW), own.privateKey);
    await expect(verifyAccessToken(ps, { keys: [ownJwk({ alg: "PS256" })], now: NOW })).resolves.toBeTruthy();
    const ec = { kty: "EC", kid: "own-key", crv: "P-256", x: "AA", y: "AA" };
    expect(await reasonOf(verifyAccessToken(rs, { keys: [ec], now: NOW }))).toBe("unsupported_alg");
  });

  it("rejects an unknown or missing kid", async () => {
    const t = craft({ alg: "RS256", kid: "not-listed" }, claimsAt(NOW), own.privateKey);
    const error = (await verifyAccessToken(t, { keys: [null, ownJwk()], now: NOW }).catch(
      (e) => e,
    )) as TokenVerificationError;
    expect(error.reason).toBe("unknown_kid");
    expect(error.kid).toBe("not-listed");
    const noKid = craft({ alg: "RS256" }, claimsAt(NOW), own.privateKey);
    expect(await reasonOf(verifyAccessToken(noKid, { keys: [ownJwk()], now: NOW }))).toBe("unknown_kid");
    // Signed by our key but claiming a real kid of the API: the signature gives it away.
    const impostor = craft({ alg: "PS256", kid: keys[62]!.kid }, claimsAt(NOW), own.privateKey);
    expect(await reasonOf(verifyAccessToken(impostor, { keys, now: NOW }))).toBe("bad_signature");
  });

  it("rejects keys that are not signing keys or not usable", async () => {
    const t = craft({ alg: "RS256", kid: "own-key" }, claimsAt(NOW), own.privateKey);
    expect(await reasonOf(verifyAccessToken(t, { keys: [ownJwk({ use: "enc" })], now: NOW }))).toBe(
      "invalid_key",
    );
    expect(await reasonOf(verifyAccessToken(t, { keys: [ownJwk({ n: "AQAB" })], now: NOW }))).toBe(
      "invalid_key",
    );
    expect(await reasonOf(verifyAccessToken(t, { keys: [ownJwk({ n: "not base64url!" })], now: NOW }))).toBe(
      "invalid_key",
    );
    // A 1024-bit key is below the RFC 7518 minimum even when the signature would verify.
    const weak = pemKeyPair(1024);
    const weakToken = craft({ alg: "RS256", kid: "weak" }, claimsAt(NOW), weak.privateKey);
    const weakJwk = { ...(weak.publicKey.export({ format: "jwk" }) as SigningKey), kid: "weak" };
    expect(await reasonOf(verifyAccessToken(weakToken, { keys: [weakJwk], now: NOW }))).toBe("invalid_key");
    expect(await reasonOf(verifyAccessToken(t, { keys: [{ kty: "RSA", kid: "own-key" }], now: NOW }))).toBe(
      "invalid_key",
    );
  });

  it.each([
    ["garbage", "not a token"],
    ["two segments", "eyJhbGciOiJSUzI1NiJ9.e30"],
    ["a non-JSON header", `${b64("nope")}.${b64("{}")}.AAAA`],
    ["an array as claims", `${b64('{"alg":"RS256","kid":"k"}')}.${b64("[]")}.AAAA`],
    ["a header without alg", `${b64('{"kid":"k"}')}.${b64("{}")}.AAAA`],
    ["a crit header", `${b64('{"alg":"RS256","kid":"own-key","crit":["x"],"x":1}')}.${b64("{}")}.AAAA`],
  ])("rejects %s as malformed", async (_label, bad) => {
    expect(await reasonOf(verifyAccessToken(bad, { keys: [ownJwk()] }))).toBe("malformed");
  });

  it("requires a numeric exp", async () => {
    const t = craft({ alg: "RS256", kid: "own-key" }, { sub: "x" }, own.privateKey);
    expect(await reasonOf(verifyAccessToken(t, { keys: [ownJwk()] }))).toBe("malformed");
    const s = craft({ alg: "RS256", kid: "own-key" }, { exp: "tomorrow" }, own.privateKey);
    expect(await reasonOf(verifyAccessToken(s, { keys: [ownJwk()] }))).toBe("malformed");
  });

  it("checks the issuer when asked", async () => {
    const issuer = mock.server.credentials.iam.issuer;
    await expect(verifyAccessToken(token, { keys, issuer })).resolves.toBeTruthy();
    expect(await reasonOf(verifyAccessToken(token, { keys, issuer: "https://other.invalid" }))).toBe(
      "claim_mismatch",
    );
  });

  it("with a client: lists every page once, caches, re-lists once on an unknown kid (rate limited)", async () => {
    const iam = clientFor(mock.server);
    mock.server.clearRequests();
    const now = mock.server.clock.now();
    await verifyAccessToken(token, { client: iam });
    await verifyAccessToken(token, { client: iam });
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(1); // 250 keys, pageSize 1000: one page

    // The cool-down runs on the client's clock (here the mock's), never on a call's `now`.
    const stranger = craft({ alg: "PS256", kid: "rotated-in-later" }, claimsAt(now), own.privateKey);
    mock.server.clock.advance(2000);
    expect(await reasonOf(verifyAccessToken(stranger, { client: iam }))).toBe("unknown_kid");
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(1); // listed 2 s ago: not again yet
    expect(await reasonOf(verifyAccessToken(stranger, { client: iam, now: now + 90_000 }))).toBe(
      "unknown_kid",
    );
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(1); // a call's `now` does not end the cool-down
    mock.server.clock.advance(38_000);
    expect(await reasonOf(verifyAccessToken(stranger, { client: iam }))).toBe("unknown_kid");
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(2); // re-listed once
    mock.server.clock.advance(1000);
    expect(await reasonOf(verifyAccessToken(stranger, { client: iam }))).toBe("unknown_kid");
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(2);
    // Forged algorithms never trigger a listing.
    mock.server.clock.advance(50_000);
    const none = craft({ alg: "none", kid: "whatever" }, claimsAt(now), undefined);
    expect(await reasonOf(verifyAccessToken(none, { client: iam }))).toBe("unsupported_alg");
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(2);
  });

  it("a call's `now` neither ages nor refreshes the shared key cache", async () => {
    const iam = clientFor(mock.server);
    mock.server.clearRequests();
    const now = mock.server.clock.now();
    await verifyAccessToken(token, { client: iam });
    // Two hours ahead (past the cache's one-hour age) and a year back: the cache is the same one.
    const { exp } = await verifyAccessToken(token, {
      client: iam,
      now: now + 7_200_000,
      clockSkewSeconds: 1e7,
    });
    expect(exp).toBeGreaterThan(0);
    await verifyAccessToken(token, { client: iam, now: now - 365 * 86_400_000, clockSkewSeconds: 1e9 });
    await verifyAccessToken(token, { client: iam });
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(1);
  });

  it("with a client: walks every page when the list is long, and shares one listing between callers", async () => {
    const big = await startMockApi({ signingKeyCount: 2500 });
    try {
      const iam = clientFor(big);
      const jws = await signServiceAccountJws(
        parseServiceAccountCredentials(big.credentials.iam.serviceAccount),
        {
          now: big.clock.now(),
        },
      );
      const bigToken = (await iam.generateServiceAccountToken({ jws })).accessToken;
      const all = await Promise.all(
        Array.from({ length: 5 }, () => verifyAccessToken(bigToken, { client: iam })),
      );
      expect(all.every((c) => c.sub === big.credentials.iam.serviceAccountIds[0])).toBe(true);
      expect(countRoute(big, KEYS_ROUTE)).toBe(3);
    } finally {
      await big.close();
    }
  });

  it("never shows the token in its errors", async () => {
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const cases = [
      `${header}.${b64(JSON.stringify({ ...claims, sub: "x" }))}.${signature}`,
      token,
      `${b64(JSON.stringify({ alg: "HS256", kid: token }))}.${payload}.${signature}`,
      `${b64(JSON.stringify({ alg: "PS256", kid: token }))}.${payload}.${signature}`,
    ];
    const nows = [undefined, (claims.exp + 3600) * 1000, undefined, undefined];
    for (const [i, bad] of cases.entries()) {
      const error = await verifyAccessToken(bad, { keys, now: nows[i] }).catch((e) => e);
      expect(error).toBeInstanceOf(TokenVerificationError);
      expectNoSecrets(error, [bad, signature, payload, signature.slice(0, 40)]);
    }
  });
});

describe("verifyAccessToken: claims, limits and the key endpoint", () => {
  const own256 = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    craft({ alg: "RS256", kid: "own-key", ...header }, claims, own.privateKey);

  it("checks audience and issuer when asked (string or list); missing or different is claim_mismatch", async () => {
    const iam = clientFor(mock.server);
    const claims = await verifyAccessToken(token, {
      client: iam,
      audience: "apexapis.com",
      issuer: "apexapis.com",
    });
    expect(claims).toMatchObject({
      aud: "apexapis.com",
      iss: "apexapis.com",
      identity_class: "SERVICE_ACCOUNT",
    });
    await expect(
      verifyAccessToken(token, { keys, audience: ["other", "apexapis.com"], issuer: ["x", "apexapis.com"] }),
    ).resolves.toBeTruthy();
    expect(await reasonOf(verifyAccessToken(token, { keys, audience: "other.example" }))).toBe(
      "claim_mismatch",
    );
    expect(await reasonOf(verifyAccessToken(token, { keys, issuer: "other.example" }))).toBe(
      "claim_mismatch",
    );
    const bare = own256(claimsAt(NOW));
    const ownKeys = [ownJwk()];
    await expect(verifyAccessToken(bare, { keys: ownKeys, now: NOW })).resolves.toBeTruthy();
    expect(
      await reasonOf(verifyAccessToken(bare, { keys: ownKeys, now: NOW, audience: "apexapis.com" })),
    ).toBe("claim_mismatch");
    expect(await reasonOf(verifyAccessToken(bare, { keys: ownKeys, now: NOW, issuer: "apexapis.com" }))).toBe(
      "claim_mismatch",
    );
    const listed = own256(claimsAt(NOW, { aud: ["a", "apexapis.com"] }));
    await expect(
      verifyAccessToken(listed, { keys: ownKeys, now: NOW, audience: "apexapis.com" }),
    ).resolves.toBeTruthy();
    for (const audience of ["", [], [""], 42]) {
      const error = await verifyAccessToken(bare, { keys: ownKeys, audience: audience as never }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ["exp as a string", { exp: String(NOW / 1000 + 60) }],
    ["nbf as a string", { nbf: "0" }],
    ["iat as an object", { iat: { valueOf: 1 } }],
    ["iss as a number", { iss: 1 }],
    ["sub as an object", { sub: { id: "x" } }],
    ["jti as a number", { jti: 7 }],
    ["aud as a number", { aud: 1 }],
    ["aud as a list with a number", { aud: ["apexapis.com", 1] }],
    ["aud as an object", { aud: { 0: "apexapis.com" } }],
  ])("a claim of the wrong type (%s) is malformed, never a pass nor a TypeError", async (_label, extra) => {
    const bad = own256({ ...claimsAt(NOW), ...extra });
    for (const options of [{}, { audience: "apexapis.com", issuer: "apexapis.com" }]) {
      expect(await reasonOf(verifyAccessToken(bad, { keys: [ownJwk()], now: NOW, ...options }))).toBe(
        "malformed",
      );
    }
  });

  it("refuses a token over the size limit before decoding it, and lists no key for it", async () => {
    const iam = clientFor(mock.server);
    mock.server.clearRequests();
    expect(VERIFY_LIMITS.maxTokenLength).toBe(16 * 1024);
    const [h, , s] = token.split(".");
    const huge = `${h}.${"A".repeat(6 * 1024 * 1024)}.${s}`; // 6 MiB
    const error = (await verifyAccessToken(huge, { client: iam }).catch((e) => e)) as TokenVerificationError;
    expect(error.reason).toBe("malformed");
    expect(error.message).toMatch(/longer than 16384/);
    const justOver = `${h}.${"A".repeat(VERIFY_LIMITS.maxTokenLength)}.${s}`;
    expect(await reasonOf(verifyAccessToken(justOver, { client: iam }))).toBe("malformed");
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(0);
  });

  it("verifies the signature before trusting any claim", async () => {
    // Expired, wrong audience and wrong issuer, but the signature is checked first: bad_signature.
    const [header, , signature] = token.split(".") as [string, string, string];
    const lying = `${header}.${b64(JSON.stringify({ ...claimsAt(0), iss: "x", aud: "y" }))}.${signature}`;
    expect(
      await reasonOf(verifyAccessToken(lying, { keys, audience: "apexapis.com", issuer: "apexapis.com" })),
    ).toBe("bad_signature");
  });

  it("honours key_ops, use and alg of the listed key", async () => {
    const t = own256(claimsAt(NOW));
    const check = (key: SigningKey) => verifyAccessToken(t, { keys: [key], now: NOW });
    await expect(check(ownJwk({ key_ops: ["verify"] }))).resolves.toBeTruthy();
    expect(await reasonOf(check(ownJwk({ key_ops: ["encrypt", "wrapKey"] })))).toBe("invalid_key");
    expect(await reasonOf(check(ownJwk({ key_ops: "verify" })))).toBe("invalid_key");
    expect(await reasonOf(check(ownJwk({ use: "enc" })))).toBe("invalid_key");
    expect(await reasonOf(check(ownJwk({ alg: "PS256" })))).toBe("unsupported_alg");
  });

  it("fails fast with keys_unavailable while the key endpoint answers 5xx (no retry ladder)", async () => {
    const iam = clientFor(mock.server); // default retries: 5xx/429/504 with backoff up to 60 s
    mock.server.faults.add({ kind: "status", status: 503, route: KEYS_ROUTE, count: 1000 });
    mock.server.clearRequests();
    const error = (await verifyAccessToken(token, { client: iam }).catch((e) => e)) as TokenVerificationError;
    expect(error).toBeInstanceOf(TokenVerificationError);
    expect(error.reason).toBe("keys_unavailable");
    expect(countRoute(mock.server, KEYS_ROUTE)).toBe(1);
    expectNoSecrets(error, [token, mock.server.credentials.iam.apiKey]);
  });

  it("20 tokens with forged kids during an outage cost at most 10 key requests (shared cool-down)", async () => {
    const iam = clientFor(mock.server);
    // The keys are listed once while the endpoint is up; then it goes down.
    await verifyAccessToken(token, { client: iam });
    mock.server.faults.add({ kind: "status", status: 500, route: KEYS_ROUTE, count: 1000 });
    mock.server.clock.advance(VERIFY_LIMITS.relistCooldownMs);
    mock.server.clearRequests();
    const forged = Array.from({ length: 20 }, (_, i) =>
      craft({ alg: "PS256", kid: `forged-${i}` }, claimsAt(mock.server.clock.now()), own.privateKey),
    );
    const concurrent = await Promise.all(
      forged.slice(0, 10).map((t) => reasonOf(verifyAccessToken(t, { client: iam }))),
    );
    const sequential = [];
    for (const t of forged.slice(10)) {
      sequential.push(await reasonOf(verifyAccessToken(t, { client: iam })));
      mock.server.clock.advance(1000);
    }
    for (const reason of [...concurrent, ...sequential])
      expect(["keys_unavailable", "unknown_kid"]).toContain(reason);
    expect(countRoute(mock.server, KEYS_ROUTE)).toBeLessThanOrEqual(10);
    expect(countRoute(mock.server, KEYS_ROUTE)).toBeGreaterThanOrEqual(1);
    // A genuine token still verifies from the cache meanwhile.
    await expect(verifyAccessToken(token, { client: iam })).resolves.toBeTruthy();
  });

  it("cuts a key listing that never ends at the page cap, with keys_unavailable", async () => {
    let pages = 0;
    const endless: typeof fetch = async (input, init) => {
      pages++;
      const url = new URL(input instanceof Request ? input.url : String(input));
      const response = await globalThis.fetch(`${url.origin}/iam/v1/keys?page_size=3`, init);
      const body = (await response.json()) as Record<string, unknown>;
      return Response.json({ ...body, next_page_token: `more-${pages}` });
    };
    const iam = clientFor(mock.server, { fetch: endless });
    const error = (await verifyAccessToken(token, { client: iam }).catch((e) => e)) as TokenVerificationError;
    expect(error.reason).toBe("keys_unavailable");
    // The page cap ends it (or, on a heavily loaded machine, the listing deadline first): bounded either way.
    expect(error.message).toMatch(
      new RegExp(`more than ${VERIFY_LIMITS.maxKeyPages} pages|could not be listed`),
    );
    expect(pages).toBeLessThanOrEqual(VERIFY_LIMITS.maxKeyPages + 1);
  });
});
