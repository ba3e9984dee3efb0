import { type CallOptions, defineOperation, paginate } from "@core/http";
import * as v from "valibot";
import { API_KEY_ONLY, DEFAULT_RETRY, type IamSecurity } from "../api.js";
import type { IamCore } from "../core.js";
import { StatusError } from "../errors.js";
import { type ListSigningKeysResponse, ListSigningKeysResponseSchema, type SigningKey } from "../models.js";

export const ListSigningKeysInputSchema = v.optional(
  v.object({
    /** Keys per page, 1..1000 (server default 100). */
    pageSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
    /** The `nextPageToken` of the previous page. */
    pageToken: v.optional(v.string()),
  }),
  {},
);
export interface ListSigningKeysInput {
  /** Keys per page, 1..1000 (server default 100). */
  pageSize?: number | undefined;
  /** The `nextPageToken` of the previous page. */
  pageToken?: string | undefined;
}

export const listSigningKeysOperation = defineOperation({
  id: "Authentication_ListSigningKeys",
  name: "iam.listSigningKeys",
  method: "GET",
  path: "/iam/v1/keys",
  input: ListSigningKeysInputSchema,
  request: (input) => ({ query: { page_size: input.pageSize, page_token: input.pageToken || undefined } }),
  output: ListSigningKeysResponseSchema,
  errors: { "500": StatusError },
  security: API_KEY_ONLY,
  retry: DEFAULT_RETRY,
  pagination: {
    inputToken: "pageToken",
    nextToken: (page: ListSigningKeysResponse) => page.nextPageToken,
    items: (page: ListSigningKeysResponse): readonly SigningKey[] => page.keys,
  },
});

/**
 * Gets the public signing keys that verify the access tokens of this service. Await it for one page;
 * iterate it (`for await`) for every key across all pages, fetched lazily; `.pages()` for whole pages.
 */
export function listSigningKeys(
  client: IamCore,
  input?: ListSigningKeysInput,
  options?: CallOptions<IamSecurity>,
) {
  return paginate(client, listSigningKeysOperation, input, options);
}
