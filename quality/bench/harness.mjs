// A stand-in SDK declared straight on @core/http: the same two operations as @sdk/auth and @sdk/iam
// (same wire calls, comparable schemas). It lets the benchmark isolate the transport's cost, and it
// runs before the real SDKs are built.
import {
  compactArray,
  dateTime,
  defineOperation,
  HttpClient,
  looseWireObject,
  openEnum,
  paginate,
  wireObject,
} from "@core/http";
import * as v from "valibot";

const api = {
  sdk: "@sdk/quality-harness",
  version: "0.0.0",
  servers: { local: "http://127.0.0.1" },
  defaultServer: "local",
  securitySchemes: [{ field: "apiKey", type: "apiKey", in: "header", name: "x-api-key" }],
};

export const validateApiKeyOp = defineOperation({
  id: "validateApiKey",
  method: "GET",
  path: "/v1/auth/validate",
  output: wireObject({
    workspace_id: v.string(),
    workspace_slug: v.string(),
    org_slug: v.string(),
    account_type_v2: openEnum(["free", "scale-up", "business", "enterprise"]),
    enabled_features: v.optional(v.array(v.string())),
    telemetry_disabled: v.optional(v.boolean()),
    workspace_created_at: v.optional(dateTime()),
    generation_access_unlimited: v.optional(v.boolean()),
    feature_flags: v.optional(v.array(v.string())),
    billing_add_ons: v.optional(v.array(v.string())),
  }),
});

const signingKey = looseWireObject({
  kty: openEnum(["RSA"]),
  kid: v.string(),
  n: v.string(),
  e: v.string(),
  alg: v.optional(v.string()),
  use: v.optional(v.string()),
});

export const listSigningKeysOp = defineOperation({
  id: "listSigningKeys",
  method: "GET",
  path: "/iam/v1/keys",
  input: v.optional(
    v.object({
      pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
      pageToken: v.optional(v.string()),
    }),
    {},
  ),
  request: (input) => ({ query: { page_size: input.pageSize, page_token: input.pageToken || undefined } }),
  output: wireObject({ keys: compactArray(signingKey), next_page_token: v.optional(v.string()) }),
  pagination: {
    inputToken: "pageToken",
    nextToken: (page) => page.nextPageToken,
    items: (page) => page.keys,
  },
});

export class HarnessClient extends HttpClient {
  constructor(options) {
    super(api, options);
  }
  validateApiKey(options) {
    return this.request(validateApiKeyOp, undefined, options);
  }
  listSigningKeys(input, options) {
    return paginate(this, listSigningKeysOp, input, options);
  }
}
