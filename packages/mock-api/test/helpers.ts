// Test helpers: a client-side JWS signer written against node:crypto directly (what an SDK user would do),
// and small fetch wrappers.
import { createPrivateKey, sign } from "node:crypto";
import type { ServiceAccountCredentials } from "../src/index.js";

const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");

export interface JwsOverrides {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** ms epoch for the datetime/iat claims. */
  at?: number;
}

/** Signs the service-account JWS of spec/iam-service-accounts.md (RS256). */
export function signServiceAccountJws(creds: ServiceAccountCredentials, opts: JwsOverrides = {}): string {
  const at = opts.at ?? Date.now();
  const header = { alg: "RS256", typ: "JWT", ...opts.header };
  const claims = {
    name: creds.name,
    organization: creds.organization,
    datetime: new Date(at).toISOString(),
    iat: Math.floor(at / 1000),
    ...opts.claims,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(input), createPrivateKey(creds.privateKey));
  return `${input}.${b64url(signature)}`;
}

export function decodeJwtPart(token: string, index: 0 | 1): Record<string, any> {
  return JSON.parse(Buffer.from(token.split(".")[index]!, "base64url").toString("utf8"));
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** fetch + read the body once; `body` is parsed JSON when it parses. */
export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return call(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
