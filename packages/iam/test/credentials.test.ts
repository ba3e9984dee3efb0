import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import {
  InvalidCredentialsError,
  InvalidRequestError,
  parseServiceAccountCredentials,
  SDKError,
  ServiceAccountCredentials,
  signServiceAccountJws,
} from "../src/index.js";
import { expectNoSecrets, keyFragments, pemKeyPair, useMockApi } from "./helpers.js";

const mock = useMockApi();
const file = () => mock.server.credentials.iam.serviceAccount;

function decodeSegment(jws: string, index: number): string {
  return Buffer.from(jws.split(".")[index]!, "base64url").toString("utf8");
}

function verifiesWith(pem: string, jws: string): boolean {
  const [h, p, s] = jws.split(".") as [string, string, string];
  return verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey(pem), Buffer.from(s, "base64url"));
}

describe("parseServiceAccountCredentials", () => {
  it("reads the file as an object or as JSON text", () => {
    for (const input of [file(), JSON.stringify(file()), `\n  ${JSON.stringify(file(), null, 2)}\n`]) {
      const credentials = parseServiceAccountCredentials(input);
      expect(credentials).toBeInstanceOf(ServiceAccountCredentials);
      expect(credentials).toMatchObject({
        type: "serviceAccount",
        name: file().name,
        organization: file().organization,
      });
    }
  });

  it("accepts escaped \\n newlines (a PEM pasted through an env var) and CRLF", async () => {
    const escaped = { ...file(), privateKey: file().privateKey.replace(/\n/g, "\\n") };
    expect(escaped.privateKey).not.toContain("\n");
    const crlf = { ...file(), privateKey: file().privateKey.replace(/\n/g, "\r\n") };
    for (const variant of [escaped, JSON.stringify(escaped), crlf]) {
      const jws = await signServiceAccountJws(parseServiceAccountCredentials(variant));
      expect(verifiesWith(file().privateKey, jws)).toBe(true);
    }
  });

  it("accepts a file without `type`, and extra fields", () => {
    const { type: _type, ...rest } = file();
    expect(parseServiceAccountCredentials({ ...rest, issuedAt: "2024-01-01" } as never).name).toBe(
      file().name,
    );
  });

  it("wraps a PKCS#1 key ('BEGIN RSA PRIVATE KEY') into PKCS#8", async () => {
    const pkcs1 = createPrivateKey(file().privateKey).export({ type: "pkcs1", format: "pem" }).toString();
    expect(pkcs1).toContain("BEGIN RSA PRIVATE KEY");
    const jws = await signServiceAccountJws(parseServiceAccountCredentials({ ...file(), privateKey: pkcs1 }));
    expect(verifiesWith(file().privateKey, jws)).toBe(true);
  });

  it("returns already parsed credentials as they are", () => {
    const credentials = parseServiceAccountCredentials(file());
    expect(parseServiceAccountCredentials(credentials)).toBe(credentials);
  });

  // Generated straight into PEM: exporting a KeyObject fresh from generateKeyPairSync can deadlock
  // Node 20 (see pemKeyPair in helpers.ts).
  const ec = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  const rsa = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const publicPem = rsa.publicKey;
  const encrypted = rsa.privateKey;
  const pem = () => file().privateKey;
  const body = () =>
    pem()
      .replace(/-----[A-Z ]+-----/g, "")
      .replace(/\s+/g, "");

  it.each<[string, () => unknown, string, RegExp]>([
    ["not JSON", () => `{"privateKey": "${body().slice(0, 60)}`, "", /not valid JSON/],
    ["a JSON array", () => "[]", "", /must be a JSON object/],
    ["null", () => null, "", /must be a JSON object/],
    ["a bare PEM", () => pem(), "", /bare PEM key/],
    ["no privateKey", () => ({ ...file(), privateKey: undefined }), "privateKey", /is missing/],
    ["privateKey not a string", () => ({ ...file(), privateKey: 42 }), "privateKey", /must be a string/],
    ["empty name", () => ({ ...file(), name: "  " }), "name", /is empty/],
    ["no organization", () => ({ ...file(), organization: undefined }), "organization", /is missing/],
    ["another type", () => ({ ...file(), type: "user" }), "type", /must be "serviceAccount"/],
    ["no PEM armour", () => ({ ...file(), privateKey: body() }), "privateKey", /not a PEM block/],
    [
      "a cut-off PEM",
      () => ({ ...file(), privateKey: pem().slice(0, 300) }),
      "privateKey",
      /without a matching END line/,
    ],
    [
      "a truncated body",
      () => ({
        ...file(),
        privateKey: `-----BEGIN PRIVATE KEY-----\n${body().slice(0, 400)}\n-----END PRIVATE KEY-----`,
      }),
      "privateKey",
      /truncated or corrupted/,
    ],
    [
      "a body that is not base64",
      () => ({
        ...file(),
        privateKey: `-----BEGIN PRIVATE KEY-----\n${body().slice(0, 40)}!!\n-----END PRIVATE KEY-----`,
      }),
      "privateKey",
      /not valid base64/,
    ],
    [
      "a truncated PKCS#1 key",
      () => ({
        ...file(),
        privateKey: `-----BEGIN RSA PRIVATE KEY-----\n${body().slice(0, 400)}\n-----END RSA PRIVATE KEY-----`,
      }),
      "privateKey",
      /not a PKCS#1 RSA key/,
    ],
    ["a public key", () => ({ ...file(), privateKey: publicPem }), "privateKey", /"PUBLIC KEY" block/],
    ["an encrypted key", () => ({ ...file(), privateKey: encrypted }), "privateKey", /encrypted/],
    ["an EC key", () => ({ ...file(), privateKey: ec }), "privateKey", /not an RSA key/],
  ])("rejects %s with a typed error naming the field, without the key", (_label, input, field, message) => {
    let error: unknown;
    try {
      parseServiceAccountCredentials(input() as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error).toBeInstanceOf(SDKError);
    const typed = error as InvalidCredentialsError;
    expect(typed.field).toBe(field);
    expect(typed.message).toMatch(message);
    expect(typed.toJSON()).toMatchObject({ name: "InvalidCredentialsError", field });
    expectNoSecrets(error, [...keyFragments(pem()), body().slice(0, 60)]);
  });

  it("a well-formed PKCS#8 wrapper around a broken RSA key is refused (at parsing now), typed and silent", async () => {
    const der = Buffer.from(body(), "base64");
    // Break the inner RSAPrivateKey (its version INTEGER becomes a NULL tag); the PKCS#8 wrapper stays valid.
    const inner = der.indexOf(Buffer.from([0x02, 0x01, 0x00, 0x02, 0x82]), 20);
    expect(inner).toBeGreaterThan(20);
    der[inner] = 0x05;
    const broken = `-----BEGIN PRIVATE KEY-----\n${der.toString("base64")}\n-----END PRIVATE KEY-----`;
    const error = (await (async () =>
      signServiceAccountJws(parseServiceAccountCredentials({ ...file(), privateKey: broken })))().catch(
      (e) => e,
    )) as InvalidCredentialsError;
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.field).toBe("privateKey");
    expectNoSecrets(error, [der.toString("base64").slice(100, 160)]);
  });
});

describe("the credentials object never shows the key", () => {
  it("JSON.stringify, util.inspect (even showHidden), String(), spreads and structuredClone", () => {
    const credentials = parseServiceAccountCredentials(JSON.stringify(file()));
    expectNoSecrets(credentials, keyFragments(file().privateKey));
    expect(JSON.parse(JSON.stringify(credentials))).toEqual({
      type: "serviceAccount",
      name: file().name,
      organization: file().organization,
    });
    expect(String(credentials)).toContain(file().name);
    expect(JSON.stringify({ ...credentials })).not.toContain("PRIVATE");
    expect(JSON.stringify(structuredClone(credentials))).not.toContain("PRIVATE");
    expect(Object.keys(credentials).sort()).toEqual(["name", "organization", "type"]);
    expect(Object.isFrozen(credentials)).toBe(true);
  });
});

describe("signServiceAccountJws", () => {
  it("builds the RS256 JWS of the spec, verifiable with the public key", async () => {
    const credentials = parseServiceAccountCredentials(file());
    const now = Date.UTC(2025, 0, 31, 12, 0, 0, 250);
    const jws = await signServiceAccountJws(credentials, { now });
    expect(decodeSegment(jws, 0)).toBe('{"alg":"RS256","typ":"JWT"}');
    expect(JSON.parse(decodeSegment(jws, 1))).toEqual({
      name: file().name,
      organization: file().organization,
      datetime: "2025-01-31T12:00:00.250Z",
      iat: Math.floor(now / 1000),
    });
    expect(jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(verifiesWith(file().privateKey, jws)).toBe(true);
    const again = await signServiceAccountJws(credentials, { now: new Date(now) });
    expect(again).toBe(jws); // RSASSA-PKCS1-v1_5 is deterministic
  });

  it("defaults to the current time", async () => {
    const before = Date.now();
    const jws = await signServiceAccountJws(parseServiceAccountCredentials(file()));
    const claims = JSON.parse(decodeSegment(jws, 1));
    expect(Date.parse(claims.datetime)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(claims.datetime)).toBeLessThanOrEqual(Date.now());
  });

  it("imports the key into WebCrypto once per credentials object", async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, "importKey");
    try {
      const a = parseServiceAccountCredentials(file());
      const b = parseServiceAccountCredentials(file());
      await Promise.all([signServiceAccountJws(a), signServiceAccountJws(a), signServiceAccountJws(a)]);
      await signServiceAccountJws(b);
      await signServiceAccountJws(a);
      expect(importKey).toHaveBeenCalledTimes(2);
      expect(importKey.mock.calls[0]?.[3]).toBe(false); // not extractable
    } finally {
      importKey.mockRestore();
    }
  });

  it("rejects a bad `now`, and objects that were not parsed", async () => {
    const credentials = parseServiceAccountCredentials(file());
    await expect(signServiceAccountJws(credentials, { now: Number.NaN })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    const fake = {
      type: "serviceAccount",
      name: "x",
      organization: "y",
    } as unknown as ServiceAccountCredentials;
    await expect(signServiceAccountJws(fake)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it("is accepted by the server", async () => {
    const credentials = parseServiceAccountCredentials(file());
    const jws = await signServiceAccountJws(credentials, { now: mock.server.clock.now() });
    const response = await fetch(`${mock.server.url}/iam/v1/serviceAccounts:generateAccessToken`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": mock.server.credentials.iam.apiKey },
      body: JSON.stringify({ jws }),
    });
    expect(response.status).toBe(200);
  });
});

describe("key strength and bounded parsing", () => {
  it("refuses an RSA key under 2048 bits when parsing, with an SDKError that says so", () => {
    const weak = pemKeyPair(1024).privatePem;
    for (const privateKey of [
      weak,
      createPrivateKey(weak).export({ type: "pkcs1", format: "pem" }).toString(),
    ]) {
      const error = (() => {
        try {
          parseServiceAccountCredentials({ ...file(), privateKey });
        } catch (e) {
          return e;
        }
      })() as InvalidCredentialsError;
      expect(error).toBeInstanceOf(SDKError);
      expect(error).toBeInstanceOf(InvalidCredentialsError);
      expect(error.field).toBe("privateKey");
      expect(error.message).toMatch(/1024-bit RSA key; at least 2048 bits/);
      expectNoSecrets(error, keyFragments(weak));
    }
  });

  it("accepts 2048 bits and more", async () => {
    const strong = pemKeyPair(3072).privatePem;
    const jws = await signServiceAccountJws(
      parseServiceAccountCredentials({ ...file(), privateKey: strong }),
    );
    expect(verifiesWith(strong, jws)).toBe(true);
  });

  it("refuses 200 KiB of repeated BEGIN lines by size, and scans what fits the bound in one pass", () => {
    const line = "-----BEGIN PRIVATE KEY-----\n";
    const flood = line.repeat(Math.ceil((200 * 1024) / line.length));
    expect(() => parseServiceAccountCredentials({ ...file(), privateKey: flood })).toThrow(
      /larger than 16 KiB/,
    );
    expect(() => parseServiceAccountCredentials(JSON.stringify({ ...file(), privateKey: flood }))).toThrow(
      InvalidCredentialsError,
    );
    // Just under the bound: each BEGIN without an END is found by forward scans, not backtracking.
    const underBound = line.repeat(Math.floor((16 * 1024 - 100) / line.length));
    expect(() => parseServiceAccountCredentials({ ...file(), privateKey: underBound })).toThrow(
      /BEGIN line without a matching END/,
    );
    const labels = `-----BEGIN ${"A ".repeat(4000)}`;
    expect(() => parseServiceAccountCredentials({ ...file(), privateKey: labels })).toThrow(
      InvalidCredentialsError,
    );
  });
});
