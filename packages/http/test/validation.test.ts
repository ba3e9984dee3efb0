// Input is validated before anything is sent; responses are validated and converted (wire → camelCase,
// date-time → Date, open enums) and a mismatch is a ResponseValidationError that keeps the raw body.
import { InvalidRequestError, ResponseValidationError } from "@sdk/errors";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  compactArray,
  dateTime,
  defineOperation,
  looseWireObject,
  openEnum,
  wireObject,
} from "../src/index.js";
import { EchoSchema, type TestClient, useTestServer } from "./support/client.js";
import { sendText, type TestServer } from "./support/server.js";

let server: TestServer;
let sdk: TestClient;
useTestServer((s, c) => {
  server = s;
  sdk = c;
});

describe("input validation", () => {
  const create = defineOperation({
    id: "createThing",
    method: "POST",
    path: "/things",
    input: v.object({
      name: v.pipe(v.string(), v.minLength(1)),
      tags: v.array(v.string()),
      limits: v.object({ max: v.pipe(v.number(), v.maxValue(1000)) }),
      secret: v.string(),
    }),
    request: (input) => ({ body: input }),
    output: EchoSchema,
    security: null,
    idempotent: true,
    retry: { strategy: "backoff" },
  });

  it("names every bad field by its path and sends nothing", async () => {
    const error = await sdk
      .request(create, { name: "", tags: ["ok", 7], limits: { max: 5000 }, secret: 42 } as any)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    const issues = (error as InvalidRequestError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(["limits.max", "name", "secret", "tags.1"]);
    expect(issues.find((i) => i.path === "tags.1")).toMatchObject({ expected: "string", received: "number" });
    expect(issues.find((i) => i.path === "limits.max")).toMatchObject({ expected: "<=1000" });
    expect((error as InvalidRequestError).operation).toBe("createThing");
    expect((error as Error).message).toContain("tags.1");
    expect(server.requests).toHaveLength(0);
  });

  it("reports the type, never the value, of a bad field (the value may be a credential)", async () => {
    const canary = "canary-secret-value-3c9";
    const error = await sdk
      .request(create, { name: 1, tags: [], limits: { max: 1 }, secret: [canary] } as any)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(JSON.stringify(error)).not.toContain(canary);
    expect(String(error)).not.toContain(canary);
    expect(JSON.stringify((error as InvalidRequestError).issues)).not.toContain(canary);
  });

  it("names a missing field with the type it expects", async () => {
    const error = await sdk
      .request(create, { name: "n", tags: [], limits: {} } as any)
      .catch((e: unknown) => e);
    expect((error as InvalidRequestError).issues).toEqual([
      expect.objectContaining({ path: "limits.max", expected: "number", received: "undefined" }),
      expect.objectContaining({ path: "secret", expected: "string", received: "undefined" }),
    ]);
  });

  it("rejects a missing input object", async () => {
    await expect(sdk.request(create, undefined as any)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(server.requests).toHaveLength(0);
  });
});

const Status = ["active", "disabled"] as const;
const ThingSchema = wireObject({
  thing_id: v.string(),
  display_name: v.nullable(v.string()),
  created_at: dateTime(),
  status: openEnum(Status),
  kind: v.picklist(["widget", "gadget"]),
  parts: compactArray(wireObject({ part_no: v.number() })),
  meta: v.optional(looseWireObject({ owner_id: v.string() })),
});
const list = defineOperation({
  id: "listThings",
  method: "GET",
  path: "/things",
  output: wireObject({ things: v.array(ThingSchema), next_page_token: v.optional(v.string()) }),
  security: null,
});

function thing(overrides: Record<string, unknown> = {}) {
  return {
    thing_id: "t-1",
    display_name: null,
    created_at: "2024-05-06T07:08:09.123Z",
    status: "active",
    kind: "widget",
    parts: [{ part_no: 1 }, null, { part_no: 2 }],
    ...overrides,
  };
}

function serve(body: unknown, contentType = "application/json") {
  server.route("GET", "/things", (_req, res) =>
    sendText(res, 200, typeof body === "string" ? body : JSON.stringify(body), {
      "content-type": contentType,
    }),
  );
}

describe("success responses", () => {
  it("converts wire names to camelCase and date-times to Date", async () => {
    serve({ things: [thing()], next_page_token: "n1" });
    const page = await sdk.request(list, undefined);
    expect(page.nextPageToken).toBe("n1");
    const [t] = page.things;
    expect(t).toEqual({
      thingId: "t-1",
      displayName: null,
      createdAt: new Date("2024-05-06T07:08:09.123Z"),
      status: "active",
      kind: "widget",
      parts: [{ partNo: 1 }, { partNo: 2 }],
    });
    expect(t?.createdAt).toBeInstanceOf(Date);
  });

  it("accepts an unknown value of an open enum", async () => {
    serve({ things: [thing({ status: "archived-v2" })] });
    const page = await sdk.request(list, undefined);
    expect(page.things[0]?.status).toBe("archived-v2");
  });

  it("tolerates unknown fields: dropped by wireObject, kept by looseWireObject", async () => {
    serve({
      things: [thing({ added_later: 1, meta: { owner_id: "o-1", extra_member: true } })],
      top_level_extra: { nested: 1 },
    });
    const page = await sdk.request(list, undefined);
    expect(page.things[0]).not.toHaveProperty("addedLater");
    expect(page.things[0]).not.toHaveProperty("added_later");
    expect(page.things[0]?.meta).toEqual({ ownerId: "o-1", extraMember: true });
    expect(page).not.toHaveProperty("topLevelExtra");
  });

  it.each([
    "application/json; charset=utf-8",
    "application/problem+json",
    "application/vnd.registry.v2+json;charset=UTF-8",
    "Application/JSON",
  ])("parses JSON labelled %s", async (contentType) => {
    serve({ things: [] }, contentType);
    await expect(sdk.request(list, undefined)).resolves.toEqual({ things: [] });
  });

  it.each(["text/plain", "text/html", "application/jsonx", "application/x-ndjson"])(
    "does not parse a body labelled %s",
    async (contentType) => {
      serve({ things: [] }, contentType);
      const error = (await sdk.request(list, undefined).catch((e: unknown) => e)) as ResponseValidationError;
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(error.message).toContain("content type");
      expect(error.body).toBe('{"things":[]}');
      expect(error.status).toBe(200);
    },
  );

  it("accepts an empty 204 when the operation expects nothing", async () => {
    server.route("DELETE", "/things/t-1", (_req, res) => {
      res.writeHead(204).end();
    });
    const remove = defineOperation({
      id: "deleteThing",
      method: "DELETE",
      path: "/things/t-1",
      output: v.undefined(),
      security: null,
    });
    const { data, response } = await sdk.request(remove, undefined).withResponse();
    expect(data).toBeUndefined();
    expect(response.status).toBe(204);
  });
});

describe("response validation errors", () => {
  async function failure(): Promise<ResponseValidationError> {
    const error = await sdk.request(list, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    return error as ResponseValidationError;
  }

  it("names the path, the expected and the received type, and keeps the raw body", async () => {
    const body = { things: [thing(), thing({ thing_id: 42 })] };
    serve(body);
    const error = await failure();
    expect(error.issues).toEqual([
      expect.objectContaining({ path: "things.1.thing_id", expected: "string", received: "number" }),
    ]);
    expect(error.operation).toBe("listThings");
    expect(error.status).toBe(200);
    expect(JSON.parse(error.body)).toEqual(body);
    expect(error.headers.get("content-type")).toBe("application/json");
    expect(error.message).toContain("things.1.thing_id");
  });

  it("reports a missing required field", async () => {
    const { created_at: _drop, ...missing } = thing();
    serve({ things: [missing] });
    const error = await failure();
    expect(error.issues[0]).toMatchObject({
      path: "things.0.created_at",
      expected: "string",
      received: "undefined",
    });
    expect(error.message).toContain("things.0.created_at: expected string, received undefined");
  });

  it("reports a renamed value of a closed enum", async () => {
    serve({ things: [thing({ kind: "Widget" })] });
    const error = await failure();
    expect(error.issues[0]).toMatchObject({ path: "things.0.kind", received: "string" });
    expect(error.issues[0]?.expected).toContain('"widget"');
  });

  it("reports a date-time that is not one", async () => {
    serve({ things: [thing({ created_at: "yesterday" })] });
    const error = await failure();
    expect(error.issues[0]).toMatchObject({ path: "things.0.created_at", expected: "date-time" });
  });

  it("takes only RFC 3339 date-times with an offset, never local time or loose formats", async () => {
    // Date.parse accepts all of these, the first in the machine's time zone.
    const looseOnes = ["2024-01-01T00:00:00", "0", "March 7, 2024", "2024-01-01", "2024-13-01T00:00:00Z"];
    // Days a month does not have: `Date` would roll them over into the next month.
    const impossible = ["2023-02-30T09:12:44Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00+02:00"];
    for (const loose of [...looseOnes, ...impossible]) {
      serve({ things: [thing({ created_at: loose })] });
      const error = await failure();
      expect(error.issues[0], loose).toMatchObject({ path: "things.0.created_at", expected: "date-time" });
    }
    serve({ things: [thing({ created_at: "2024-01-01T02:00:00.5+02:00" })] });
    const page = await sdk.request(list, undefined);
    expect(page.things[0]?.createdAt.toISOString()).toBe("2024-01-01T00:00:00.500Z");
    serve({ things: [thing({ created_at: "0000-02-29T00:00:00Z" })] });
    expect((await sdk.request(list, undefined)).things[0]?.createdAt.getUTCFullYear()).toBe(0);
    serve({ things: [thing({ created_at: "2024-02-29T23:59:59Z" })] });
    const leapDay = await sdk.request(list, undefined);
    expect(leapDay.things[0]?.createdAt.toISOString()).toBe("2024-02-29T23:59:59.000Z");
  });

  it("reports truncated JSON with the parse error as cause", async () => {
    serve('{"things":[{"thing_id":"t-1","disp');
    const error = await failure();
    expect(error.message).toContain("not valid JSON");
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.body).toBe('{"things":[{"thing_id":"t-1","disp');
  });

  it("reports an empty 200 body", async () => {
    serve("");
    const error = await failure();
    expect(error.body).toBe("");
  });

  it("keeps every issue, not just the first", async () => {
    serve({ things: [thing({ thing_id: 1, kind: "x", created_at: 5 })] });
    const error = await failure();
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      "things.0.created_at",
      "things.0.kind",
      "things.0.thing_id",
    ]);
  });
});
