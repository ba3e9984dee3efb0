// The SDKs' conformance tests (packages/{auth,iam}/test/conformance.test.ts call `conformanceTests`):
// reads an OpenAPI document of this folder, generates example payloads from its schemas (openapi-sampler)
// and says, in plain sentences, where an SDK's requests or schemas depart from it. No SDK is imported
// here: each test passes in its modules, a client on @sdk/mock-api and valibot's functions.
//
// Name mapping, spec → SDK (the one rule of @core/http's `wireObject`, plus per-SDK renames):
// - a wire name becomes camelCase: `workspace_id` → `workspaceId`, `account_type_v2` → `accountTypeV2`;
//   names without `_` are kept (`genLockId`, `kid`, `@type`);
// - an operationId becomes the method and function name: `Authentication_X` → `x` (the IAM tag prefix
//   goes), first letter lower-cased, unless the SDK's test lists a rename (`getWorkspaceAccess` →
//   `getAccess`);
// - a parameter or a request-body property is an input field of the camelCase name.
import { readFileSync } from "node:fs";
import { sample } from "openapi-sampler";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

type Json = any;

export const camelCase = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The SDK name of an operation: see the name mapping above. */
export function sdkName(operationId: string, renames: Readonly<Record<string, string>> = {}): string {
  const name = renames[operationId] ?? operationId.replace(/^[A-Za-z]+_/, "");
  return name[0]!.toLowerCase() + name.slice(1);
}

export interface SpecParameter {
  name: string;
  in: "query" | "path" | "header";
  required: boolean;
  schema: Json;
  example?: unknown;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: SpecParameter[];
  /** The JSON request body's schema, if any. */
  body?: Json;
  /** The 2xx JSON response's schema (`$ref` kept, so problems name the component). */
  response: Json;
}

/** What the mock logged for one request (the part of @sdk/mock-api's `RequestLogEntry` compared here). */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body?: unknown;
}

/** A parse function: valibot's `safeParse` bound to one schema. */
export type Parse = (value: unknown) => { success: boolean; output?: unknown };

/** One field of a response schema: its wire path (`[]` for an array's items) and its schema. */
interface Field {
  path: string[];
  schema: Json;
  required: boolean;
}

export class Spec {
  readonly doc: Json;

  constructor(readonly file: string) {
    this.doc = parse(readFileSync(new URL(file, import.meta.url), "utf8"));
  }

  operations(): SpecOperation[] {
    const out: SpecOperation[] = [];
    for (const [path, item] of Object.entries<Json>(this.doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        const success = Object.entries<Json>(op.responses).find(([status]) => /^2/.test(status))?.[1];
        out.push({
          operationId: op.operationId,
          method: method.toUpperCase(),
          path,
          parameters: (op.parameters ?? []).map((p: Json) => ({ required: false, ...this.deref(p) })),
          body: op.requestBody?.content?.["application/json"]?.schema,
          response: success?.content?.["application/json"]?.schema,
        });
      }
    }
    return out;
  }

  /** Follows `$ref`s, and picks the non-null alternative of a `oneOf: [X, null]`. */
  deref(schema: Json): Json {
    let s = schema;
    for (let hops = 0; s?.$ref && hops < 32; hops++) {
      s = s.$ref
        .split("/")
        .slice(1)
        .reduce((node: Json, key: string) => node?.[key], this.doc);
    }
    if (Array.isArray(s?.oneOf)) return this.deref(s.oneOf.find((alt: Json) => alt.type !== "null"));
    return s;
  }

  /** A generated example: every property, or the required ones only. */
  sample(schema: Json, requiredOnly = false): unknown {
    return sample(schema, { skipNonRequired: requiredOnly, quiet: true }, this.doc);
  }

  /** An SDK input setting every parameter and body property of the operation, from their examples. */
  sampleInput(op: SpecOperation): Record<string, unknown> | undefined {
    const input: Record<string, unknown> = {};
    for (const p of op.parameters) input[camelCase(p.name)] = p.example ?? this.sample(p.schema);
    const body = op.body && this.sample(op.body);
    if (body && typeof body === "object") {
      for (const [k, v] of Object.entries(body)) input[camelCase(k)] = v;
    }
    return Object.keys(input).length ? input : undefined;
  }

  /** Every field of a response schema, depth first (bounded by the document: no recursive schemas). */
  fields(schema: Json, prefix: string[] = [], depth = 0): Field[] {
    if (depth > 16)
      throw new Error(`${this.file}: schema nested deeper than 16 levels at ${prefix.join(".")}`);
    const s = this.deref(schema);
    const out: Field[] = [];
    if (typeOf(s) === "array") {
      const items = [...prefix, "[]"];
      out.push({ path: items, schema: this.deref(s.items), required: false });
      out.push(...this.fields(s.items, items, depth + 1));
    }
    for (const [name, prop] of Object.entries<Json>(s?.properties ?? {})) {
      const path = [...prefix, name];
      out.push({ path, schema: this.deref(prop), required: (s.required ?? []).includes(name) });
      out.push(...this.fields(prop, path, depth + 1));
    }
    return out;
  }

  /** `User`, `ListSigningKeysResponse`: the component a response schema refers to. */
  nameOf(schema: Json): string {
    return schema?.$ref ? schema.$ref.split("/").pop() : "response";
  }

  /**
   * Where a parse function departs from a response schema (empty when it conforms):
   * - an example with every field, and one with the required fields only, must be accepted;
   * - every field of the example must be in the output, under its camelCase name (see the mapping);
   * - an example where one field has the wrong type (or a date-time is not one) must be rejected;
   * - an example missing one required field must be rejected.
   * `stricter` lists fields (`Token.access_token`) the SDK requires although the spec does not.
   */
  responseProblems(schema: Json, parse: Parse, stricter: readonly string[] = []): string[] {
    const name = this.nameOf(schema);
    const problems: string[] = [];
    const full = this.sample(schema);
    const parsed = parse(full);
    if (!parsed.success) problems.push(`${name}: an example with every field is rejected`);
    const minimal = this.sample(schema, true) as Json;
    for (const field of stricter) {
      const [owner, ...path] = field.split(".");
      if (owner === name) setPath(minimal, path, getPath(full, path));
    }
    if (!parse(minimal).success)
      problems.push(`${name}: an example with the required fields only is rejected`);

    for (const field of this.fields(schema)) {
      const label = `${name}.${field.path.join(".").replaceAll(".[]", "[]")}`;
      if (field.path.at(-1) === "[]") {
        // Items: their fields are checked one by one; a wrong-typed item must fail too.
      } else if (parsed.success && getPath(parsed.output, field.path.map(camelCase)) === undefined) {
        problems.push(`${label}: not in the SDK's output (expected as ${camelCase(field.path.at(-1)!)})`);
      }
      for (const wrong of wrongValues(field.schema)) {
        const broken = structuredClone(full);
        setPath(broken, field.path, wrong);
        if (parse(broken).success) problems.push(`${label}: ${JSON.stringify(wrong)} is accepted`);
      }
      if (field.required && !field.path.includes("[]")) {
        const missing = structuredClone(full);
        deletePath(missing, field.path);
        if (parse(missing).success)
          problems.push(`${label}: required, but a response without it is accepted`);
      }
    }
    return problems;
  }

  /** Where a logged request departs from the operation it was meant to be (empty when it conforms). */
  requestProblems(
    op: SpecOperation,
    request: LoggedRequest | undefined,
    input: Record<string, unknown> = {},
  ) {
    if (!request) return [`${op.operationId}: nothing was sent`];
    const problems: string[] = [];
    // Path parameters: the template filled with the input's values, encoded as the executor does.
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      encodeURIComponent(String(input[camelCase(name)])),
    );
    if (request.method !== op.method || request.path !== path) {
      problems.push(
        `${op.operationId}: sent ${request.method} ${request.path}, spec says ${op.method} ${path}`,
      );
    }
    for (const p of op.parameters) {
      if (p.in === "path") continue; // checked with the path
      const sent = p.in === "query" ? request.query[p.name] : undefined;
      if (p.in !== "query")
        problems.push(`${op.operationId}: ${p.in} parameter ${p.name} is not checked here`);
      else if (sent !== String(input[camelCase(p.name)])) {
        problems.push(`${op.operationId}: query ${p.name} sent as ${JSON.stringify(sent)}`);
      }
    }
    for (const name of Object.keys(this.deref(op.body)?.properties ?? {})) {
      const body = request.body as Record<string, unknown> | undefined;
      if (body?.[name] === undefined) problems.push(`${op.operationId}: body property ${name} not sent`);
    }
    return problems;
  }
}

/** `type: [string, "null"]` → `string`. */
function typeOf(schema: Json): string | undefined {
  const t = schema?.type;
  return Array.isArray(t) ? t.find((x) => x !== "null") : t;
}

/** Values that break a field's type (and, for a date-time, its format). */
function wrongValues(schema: Json): unknown[] {
  switch (typeOf(schema)) {
    case "string":
      return schema.format === "date-time" ? [12345, "yesterday"] : [12345];
    case "integer":
      return ["12", 1.5];
    case "number":
      return ["12"];
    case "boolean":
      return ["true"];
    case "array":
      return ["not an array"];
    case "object":
      return ["not an object"];
    default:
      return [];
  }
}

/** The value at a wire path; `[]` is an array's first item. */
function getPath(value: Json, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) node = key === "[]" ? node?.[0] : node?.[key];
  return node;
}

function setPath(value: Json, path: readonly string[], to: unknown): void {
  const parent = getPath(value, path.slice(0, -1)) as Json;
  const last = path.at(-1)!;
  parent[last === "[]" ? 0 : last] = to;
}

function deletePath(value: Json, path: readonly string[]): void {
  delete (getPath(value, path.slice(0, -1)) as Json)[path.at(-1)!];
}

/**
 * A copy of an object schema (valibot: `object`/`looseObject`, possibly first in a `pipe`) without one
 * entry: the conformance tests run their checks on it to show they notice a field the SDK stopped reading.
 * `pipe` is valibot's (a pipe runs the items it was built with, so it is rebuilt around the copy).
 */
export function withoutField<T>(schema: T, key: string, pipe: (...items: any[]) => unknown): T {
  const s = schema as Json;
  if (Array.isArray(s.pipe)) return pipe(withoutField(s.pipe[0], key, pipe), ...s.pipe.slice(1)) as T;
  if (s.entries && key in s.entries) {
    const { [key]: _removed, ...entries } = s.entries;
    return { ...s, entries };
  }
  throw new Error(`no object schema with an entry ${key}`);
}

export interface ConformanceOptions {
  /** A document of this folder, e.g. `auth.openapi.yaml`. */
  spec: string;
  /** operationId → SDK name, where the SDK's differs from the mapping above. */
  renames?: Readonly<Record<string, string>>;
  /** Response fields the SDK requires although the spec does not (`Token.access_token`), with why. */
  stricter?: readonly string[];
  /** The package's root module (standalone functions) and its `./schemas` module (descriptors). */
  sdk: object;
  schemas: object;
  /** A class client talking to the test's mock API (a class client is also a core). */
  client(): object;
  /** The test's mock API: its request log shows what was sent. */
  mock(): { readonly requests: readonly LoggedRequest[]; clearRequests(): void };
  /** valibot (its `safeParse` and `pipe`). */
  valibot: {
    safeParse(schema: any, value: unknown): { success: boolean; output?: unknown };
    pipe(...items: any[]): unknown;
  };
  /** The demonstration: a field removed from a schema of `./schemas`, and the problems it must cause. */
  mutation: { operation: string; schema: string; field: string; problems: readonly string[] };
}

type Callable = (...args: unknown[]) => unknown;
type Descriptor = { id: string; method: string; path: string; output: unknown };

/** The conformance suite of one SDK against one document (see the checks above). */
export function conformanceTests(options: ConformanceOptions): void {
  const spec = new Spec(options.spec);
  const operations = spec
    .operations()
    .map((op) => ({ ...op, name: sdkName(op.operationId, options.renames) }));
  const exports = (module: object) => module as Record<string, unknown>;
  const descriptor = (name: string) => exports(options.schemas)[`${name}Operation`] as Descriptor;
  const parser = (schema: unknown) => (value: unknown) => options.valibot.safeParse(schema, value);

  describe.each(operations)("$operationId → $name", (op) => {
    it("has a class method and a standalone function sending the spec's method, path and parameters", async () => {
      const client = options.client() as Record<string, Callable>;
      const standalone = exports(options.sdk)[op.name] as Callable;
      expect(typeof client[op.name]).toBe("function");
      expect(typeof standalone).toBe("function");
      const input = spec.sampleInput(op);
      const args = input ? [input] : [];
      for (const call of [() => client[op.name]!(...args), () => standalone(client, ...args)]) {
        options.mock().clearRequests();
        // Only what was sent matters here: the mock may well refuse sampled values.
        await Promise.resolve(call()).catch(() => {});
        expect(spec.requestProblems(op, options.mock().requests.at(-1), input)).toEqual([]);
      }
    });

    it("has an operation descriptor with the spec's id, method and path", () => {
      expect(descriptor(op.name)).toMatchObject({ id: op.operationId, method: op.method, path: op.path });
    });

    it("accepts responses generated from the spec, represents every field, rejects broken ones", () => {
      const problems = spec.responseProblems(
        op.response,
        parser(descriptor(op.name).output),
        options.stricter,
      );
      expect(problems).toEqual([]);
    });
  });

  describe("the spec and the SDK, both ways", () => {
    it("every operation descriptor of the SDK is in the spec", () => {
      const described = Object.keys(options.schemas).filter((k) => k.endsWith("Operation"));
      expect(described.sort()).toEqual(operations.map((op) => `${op.name}Operation`).sort());
    });

    it(`fails when a field is removed from a schema (${options.mutation.schema} without ${options.mutation.field})`, () => {
      const { operation, schema, field, problems } = options.mutation;
      const op = operations.find((o) => o.name === operation)!;
      const mutated = withoutField(exports(options.schemas)[schema], field, options.valibot.pipe);
      expect(spec.responseProblems(op.response, parser(mutated), options.stricter)).toEqual(problems);
    });
  });
}
