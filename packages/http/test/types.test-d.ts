// Type-level contract of operations: what SDK authors declare is what their users get.
import { APIError } from "@sdk/errors";
import * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import {
  type APIPromise,
  type Camelize,
  dateTime,
  defineOperation,
  HttpClient,
  type InputOf,
  type ItemOf,
  type OpenEnum,
  type OutputOf,
  openEnum,
  type PagePromise,
  paginate,
  type ResponseMeta,
  wireObject,
} from "../src/index.js";

const Thing = wireObject({
  thing_id: v.string(),
  created_at: dateTime(),
  status: openEnum(["active", "disabled"]),
  display_name: v.optional(v.string()),
});
type Thing = v.InferOutput<typeof Thing>;

const getThing = defineOperation({
  id: "getThing",
  method: "GET",
  path: "/things/{thingId}",
  input: v.object({ thingId: v.string(), verbose: v.optional(v.boolean()) }),
  request: (input) => {
    expectTypeOf(input).toEqualTypeOf<{ thingId: string; verbose?: boolean | undefined }>();
    return { path: { thingId: input.thingId }, query: { verbose: input.verbose } };
  },
  output: Thing,
});

const listThings = defineOperation({
  id: "listThings",
  method: "GET",
  path: "/things",
  input: v.object({ pageToken: v.optional(v.string()) }),
  output: wireObject({ things: v.array(Thing), next_page_token: v.optional(v.string()) }),
  pagination: {
    inputToken: "pageToken",
    nextToken: (page) => page.nextPageToken,
    items: (page) => page.things,
  },
});

const client = new HttpClient<{ apiKey?: string }>({
  sdk: "t",
  version: "0",
  servers: { a: "http://127.0.0.1:9" },
  defaultServer: "a",
  securitySchemes: [{ field: "apiKey", type: "apiKey", in: "header", name: "x-api-key" }],
});

describe("operation types", () => {
  it("infers camelCase output with Date and open enums", () => {
    expectTypeOf<Thing>().toEqualTypeOf<{
      thingId: string;
      createdAt: Date;
      status: OpenEnum<"active" | "disabled">;
      displayName?: string | undefined;
    }>();
    expectTypeOf<"active">().toExtend<Thing["status"]>();
    expectTypeOf<"archived">().toExtend<Thing["status"]>();
    expectTypeOf<Camelize<{ a_b_c: 1; plain: 2 }>>().toEqualTypeOf<{ aBC: 1; plain: 2 }>();
  });

  it("types input, output and items of an operation", () => {
    expectTypeOf<InputOf<typeof getThing>>().toEqualTypeOf<{
      thingId: string;
      verbose?: boolean | undefined;
    }>();
    expectTypeOf<OutputOf<typeof getThing>>().toEqualTypeOf<Thing>();
    expectTypeOf<ItemOf<typeof listThings>>().toEqualTypeOf<Thing>();
  });

  it("types calls and their results", () => {
    const call = client.request(getThing, { thingId: "t" });
    expectTypeOf(call).toEqualTypeOf<APIPromise<Thing>>();
    expectTypeOf(call.withResponse()).resolves.toEqualTypeOf<ResponseMeta<Thing>>();
    expectTypeOf(call).resolves.toEqualTypeOf<Thing>();
    const listing = paginate(client, listThings, {});
    expectTypeOf(listing).toEqualTypeOf<PagePromise<OutputOf<typeof listThings>, Thing>>();
    expectTypeOf(listing.pages()).toEqualTypeOf<
      AsyncGenerator<OutputOf<typeof listThings>, void, undefined>
    >();
    // @ts-expect-error thingId is required
    client.request(getThing, {});
    // @ts-expect-error wrong type
    client.request(getThing, { thingId: 1 });
    // @ts-expect-error unknown security field
    client.request(getThing, { thingId: "t" }, { security: { token: "x" } });
  });

  it("accepts only APIError subclasses in the error map", () => {
    class NotFound extends APIError {
      static override readonly kind: string = "@t.NotFound";
    }
    defineOperation({ id: "x", method: "GET", path: "/x", output: v.unknown(), errors: { "404": NotFound } });
    // @ts-expect-error not an error class
    defineOperation({ id: "x", method: "GET", path: "/x", output: v.unknown(), errors: { "404": Date } });
  });
});
