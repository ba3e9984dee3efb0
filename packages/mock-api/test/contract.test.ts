// Contract test: every response the mock sends on a contract route must conform to the schema the OpenAPI
// documents declare for that status. A real JSON-Schema 2020-12 validator (Ajv) reads spec/*.yaml directly.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type MockApi, seededCredentials, startMockApi } from "../src/index.js";
import { call, type Reply, signServiceAccountJws } from "./helpers.js";

type Json = any;

/** `#/components/schemas/X` → `<id>#/$defs/X`, so the component schemas can be registered as one JSON Schema. */
function rewriteRefs(node: Json, id: string, strict: boolean): Json {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, id, strict));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === "$ref" ? String(v).replace("#/components/schemas/", `${id}#/$defs/`) : rewriteRefs(v, id, strict);
  }
  // The strict variant forbids undeclared members (where the spec did not explicitly allow them): it is how
  // the test sees an *extra* field, which the lenient contract itself permits.
  if (strict && out.type === "object" && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

class Contract {
  readonly doc: Json;
  readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  constructor(
    file: string,
    private readonly id: string,
  ) {
    this.doc = parse(readFileSync(new URL(`../../../spec/${file}`, import.meta.url), "utf8"));
    addFormats(this.ajv);
    this.ajv.addKeyword("example"); // OpenAPI annotation, not JSON Schema
    for (const strict of [false, true]) {
      const schemaId = strict ? `${id}-strict` : id;
      this.ajv.addSchema({
        $id: schemaId,
        $defs: rewriteRefs(this.doc.components.schemas, schemaId, strict),
      });
    }
  }

  operation(method: string, path: string): Json {
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${path} is not in ${this.id}`);
    return op;
  }

  /** The declared response for a status: exact code first, then the `4XX`/`5XX` range. */
  declared(method: string, path: string, status: number): { key: string; schema?: Json } {
    const responses = this.operation(method, path).responses;
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => responses[k]);
    if (!key) throw new Error(`${method} ${path}: status ${status} is not declared`);
    return { key, schema: responses[key].content?.["application/json"]?.schema };
  }

  /** Validation errors of a reply against its declared schema ([] when it conforms). */
  errors(method: string, path: string, reply: Reply, strict = false): string[] {
    const { schema } = this.declared(method, path, reply.status);
    if (!schema) return []; // untyped response: nothing to check
    const problems: string[] = [];
    if (!/^application\/json\b/.test(reply.headers.get("content-type") ?? "")) {
      problems.push(`content-type ${reply.headers.get("content-type")}`);
    }
    if (reply.body === undefined) return [...problems, "body is not JSON"];
    const id = strict ? `${this.id}-strict` : this.id;
    const validate = this.ajv.compile(rewriteRefs(schema, id, strict));
    if (!validate(reply.body)) {
      problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`));
    }
    return problems;
  }
}

const auth = new Contract("auth.openapi.yaml", "auth");
const iam = new Contract("iam.openapi.yaml", "iam");

let server: MockApi;
const exchanges: { contract: Contract; method: string; path: string; reply: Reply; label: string }[] = [];

const A = seededCredentials.auth;
const I = seededCredentials.iam;
const GEN = "/iam/v1/serviceAccounts:generateAccessToken";

async function record(
  contract: Contract,
  label: string,
  method: string,
  path: string,
  query: string,
  init: RequestInit = {},
) {
  const reply = await call(`${server.url}${path}${query}`, { method, ...init });
  exchanges.push({ contract, method, path, reply, label });
  return reply;
}

beforeAll(async () => {
  server = await startMockApi({ port: 0 });
  const fault = (spec: string) => ({ "x-mock-fault": spec });

  // Auth API: every route, success and error cases, every credential type and account type.
  for (const w of A.workspaces) {
    const credentials: Record<string, string>[] = [
      { "x-api-key": w.apiKey },
      { authorization: `Bearer ${w.bearer}` },
      { "x-workspace-identifier": w.workspaceIdentifier },
    ];
    for (const headers of credentials) {
      await record(auth, `validate ${w.slug}`, "GET", "/v1/auth/validate", "", { headers });
      await record(auth, `user ${w.slug}`, "GET", "/v1/user", "", { headers });
    }
    await record(auth, `access_token ${w.slug}`, "GET", "/v1/auth/access_token", `?workspace_id=${w.id}`);
    for (let i = 0; i < 6; i++) {
      await record(
        auth,
        `access ${w.slug} #${i}`,
        "GET",
        "/v1/workspace/access",
        "?genLockId=g&targetType=ts",
        {
          headers: { "x-api-key": w.apiKey },
        },
      );
    }
    await record(auth, `access passive ${w.slug}`, "GET", "/v1/workspace/access", "?passive=true", {
      headers: { "x-api-key": w.apiKey },
    });
  }
  for (const path of ["/v1/auth/validate", "/v1/user", "/v1/workspace/access"]) {
    await record(auth, `${path} no creds`, "GET", path, "");
    await record(auth, `${path} bad key`, "GET", path, "", { headers: { "x-api-key": A.unknown.apiKey } });
    await record(auth, `${path} 503`, "GET", path, "", {
      headers: { "x-api-key": A.apiKey, ...fault("status;status=503") },
    });
  }
  await record(auth, "access_token missing id", "GET", "/v1/auth/access_token", "");
  await record(
    auth,
    "access_token unknown id",
    "GET",
    "/v1/auth/access_token",
    `?workspace_id=${A.unknown.workspaceId}`,
  );
  await record(auth, "access_token 429", "GET", "/v1/auth/access_token", `?workspace_id=${A.workspaceId}`, {
    headers: fault("status;status=429;retryAfter=1"),
  });
  await record(auth, "access_token 500", "GET", "/v1/auth/access_token", `?workspace_id=${A.workspaceId}`, {
    headers: fault("status;status=500"),
  });

  // IAM API.
  const key = { "x-api-key": I.apiKey };
  const jws = (creds = I.serviceAccount, opts = {}) =>
    signServiceAccountJws(creds, { at: server.clock.now(), ...opts });
  const gen = (label: string, body: unknown, headers: Record<string, string> = key) =>
    record(iam, label, "POST", GEN, "", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  for (const creds of I.serviceAccounts) await gen(`generate ${creds.name}`, { jws: jws(creds) });
  await gen("generate no key", { jws: jws() }, {});
  await gen("generate bad key", { jws: jws() }, { "x-api-key": I.unknownApiKey });
  await gen("generate bad json", "{");
  await gen("generate no jws", {});
  await gen("generate malformed", { jws: "x.y.z" });
  await gen("generate unknown account", { jws: jws(I.unknownServiceAccount) });
  await gen("generate wrong alg", { jws: jws(I.serviceAccount, { header: { alg: "PS256" } }) });
  await gen("generate replay", { jws: jws(I.serviceAccount, { at: server.clock.now() - 10 * 60_000 }) });
  await gen("generate 500", { jws: jws() }, { ...key, ...fault("status;status=500") });
  await gen("generate 429", { jws: jws() }, { ...key, ...fault("status;status=429;retryAfterMs=100") });
  await gen("generate 503", { jws: jws() }, { ...key, ...fault("status;status=503") });

  let token: string | undefined;
  let page = 0;
  do {
    const r = await record(
      iam,
      `keys page ${page++}`,
      "GET",
      "/iam/v1/keys",
      token ? `?page_token=${token}` : "",
      {
        headers: key,
      },
    );
    token = r.body?.next_page_token;
  } while (token);
  await record(iam, "keys 1000", "GET", "/iam/v1/keys", "?page_size=1000", { headers: key });
  await record(iam, "keys size 0", "GET", "/iam/v1/keys", "?page_size=0", { headers: key });
  await record(iam, "keys bad token", "GET", "/iam/v1/keys", "?page_token=bogus", { headers: key });
  await record(iam, "keys no key", "GET", "/iam/v1/keys", "");
  await record(iam, "keys 503", "GET", "/iam/v1/keys", "", {
    headers: { ...key, ...fault("status;status=503") },
  });
  await record(iam, "keys 500", "GET", "/iam/v1/keys", "", {
    headers: { ...key, ...fault("status;status=500") },
  });
});
afterAll(() => server?.close());

describe("contract conformance", () => {
  it("every recorded response conforms to the schema declared for its status", () => {
    expect(exchanges.length).toBeGreaterThan(80);
    const failures = exchanges
      .map((x) => ({ ...x, errors: x.contract.errors(x.method, x.path, x.reply) }))
      .filter((x) => x.errors.length > 0)
      .map((x) => `${x.label} (${x.reply.status}): ${x.errors.join("; ")}`);
    expect(failures).toEqual([]);
  });

  it("covers every operation and every explicitly declared status", () => {
    for (const contract of [auth, iam]) {
      for (const [path, item] of Object.entries<Json>(contract.doc.paths)) {
        for (const [method, op] of Object.entries<Json>(item)) {
          const seen = new Set(
            exchanges
              .filter((x) => x.contract === contract && x.path === path && x.method === method.toUpperCase())
              .map((x) => contract.declared(x.method, x.path, x.reply.status).key),
          );
          for (const status of Object.keys(op.responses)) {
            expect(seen.has(status), `${method.toUpperCase()} ${path} ${status}`).toBe(true);
          }
        }
      }
    }
  });

  it("4XX on GET /v1/workspace/access is untyped but still JSON { message, status_code }", () => {
    const errs = exchanges.filter((x) => x.path === "/v1/workspace/access" && x.reply.status >= 400);
    expect(errs.length).toBeGreaterThan(0);
    for (const x of errs) {
      expect(auth.declared(x.method, x.path, x.reply.status).schema).toBeUndefined();
      expect(x.reply.body).toEqual({ message: expect.any(String), status_code: x.reply.status });
    }
  });

  it("responses also pass the strict (no undeclared members) variant, except open `Any`/`claims` records", () => {
    const failures = exchanges
      .filter((x) => x.reply.status < 300)
      .map((x) => ({ ...x, errors: x.contract.errors(x.method, x.path, x.reply, true) }))
      .filter((x) => x.errors.length > 0)
      .map((x) => `${x.label}: ${x.errors.join("; ")}`);
    expect(failures).toEqual([]);
  });
});

describe("drift faults break conformance, and the validator notices", () => {
  const drifted = async (path: string, query: string, headers: Record<string, string>, spec: string) =>
    call(`${server.url}${path}${query}`, { headers: { ...headers, "x-mock-fault": spec } });
  const routes: [string, string, Record<string, string>][] = [
    ["/v1/auth/validate", "", { "x-api-key": A.apiKey }],
    ["/v1/user", "", { "x-api-key": A.apiKey }],
    ["/v1/auth/access_token", `?workspace_id=${A.workspaceId}`, {}],
    ["/v1/workspace/access", "?passive=true", { "x-api-key": A.apiKey }],
  ];

  it.each(routes)("missing-field on %s", async (path, query, headers) => {
    const ok = await drifted(path, query, headers, "drift;mode=extra-field;field=x"); // sanity: a 200
    expect(ok.status).toBe(200);
    const r = await drifted(path, query, headers, "drift;mode=missing-field");
    expect(r.status).toBe(200);
    expect(auth.errors("GET", path, r).join()).toMatch(/must have required property/);
  });

  it.each(routes.filter(([p]) => p !== "/v1/user"))("unknown-enum on %s", async (path, query, headers) => {
    const r = await drifted(path, query, headers, "drift;mode=unknown-enum");
    expect(auth.errors("GET", path, r).join()).toMatch(/must be equal to one of the allowed values/);
  });

  it.each(routes)(
    "extra-field on %s: allowed by the lenient contract, caught by the strict variant",
    async (path, query, headers) => {
      const r = await drifted(path, query, headers, "drift;mode=extra-field");
      expect(auth.errors("GET", path, r)).toEqual([]);
      expect(auth.errors("GET", path, r, true).join()).toMatch(/must NOT have additional properties/);
    },
  );

  it("IAM: a truncated or text/plain body fails; unknown-enum on keys is caught by a kty check only", async () => {
    const key = { "x-api-key": I.apiKey };
    const truncated = await drifted("/iam/v1/keys", "", key, "truncate");
    expect(iam.errors("GET", "/iam/v1/keys", truncated)).toContain("body is not JSON");
    const plain = await drifted("/iam/v1/keys", "", key, "content-type");
    expect(iam.errors("GET", "/iam/v1/keys", plain).join()).toMatch(/content-type text\/plain/);
    // The IAM schemas make every member optional, so a removed `keys` is schema-valid: the SDK must catch it.
    const missing = await drifted("/iam/v1/keys", "", key, "drift;mode=missing-field");
    expect(iam.errors("GET", "/iam/v1/keys", missing)).toEqual([]);
    expect(missing.body).not.toHaveProperty("keys");
    const extra = await drifted("/iam/v1/keys", "", key, "drift;mode=extra-field");
    expect(iam.errors("GET", "/iam/v1/keys", extra, true).join()).toMatch(/additional properties/);
  });
});
