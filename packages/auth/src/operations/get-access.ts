import { type APIPromise, type CallOptions, defineOperation, type RetryConfig } from "@core/http";
import * as v from "valibot";
import type { AuthSecurity } from "../api.js";
import type { AuthCore } from "../core.js";
import { type AccessDetails, AccessDetailsSchema } from "../models.js";

export const GetAccessInputSchema = v.optional(
  v.object({
    /** Unique identifier of the generation target. */
    genLockId: v.optional(v.string()),
    /** The type of the generated target. */
    targetType: v.optional(v.string()),
    /** Skip side-effects like incrementing metrics. */
    passive: v.optional(v.boolean()),
  }),
  {},
);
export interface GetAccessInput {
  /** Unique identifier of the generation target. */
  genLockId?: string | undefined;
  /** The type of the generated target. */
  targetType?: string | undefined;
  /** Skip side-effects like incrementing metrics. */
  passive?: boolean | undefined;
}

/** `getAccess` retries by default; a client's or a call's `retries` override it field by field. */
export const GET_ACCESS_RETRY: RetryConfig = {
  strategy: "backoff",
  backoff: { initialInterval: 100, maxInterval: 2000, exponent: 1.5, maxElapsedTime: 60_000 },
  retryConnectionErrors: true,
  statusCodes: [408, 500, 502, 503],
};

export const getAccessOperation = defineOperation({
  // The contract's operationId; the SDK method is `getAccess`.
  id: "getWorkspaceAccess",
  name: "auth.getAccess",
  method: "GET",
  path: "/v1/workspace/access",
  input: GetAccessInputSchema,
  // Wire names are camelCase on this operation.
  request: (input) => ({
    query: { genLockId: input.genLockId, targetType: input.targetType, passive: input.passive },
  }),
  output: AccessDetailsSchema,
  retry: GET_ACCESS_RETRY,
});

/** Checks whether generation is permitted for a run of the CLI (and counts it, unless `passive`). */
export function getAccess(
  client: AuthCore,
  input?: GetAccessInput,
  options?: CallOptions<AuthSecurity>,
): APIPromise<AccessDetails> {
  return client.request(getAccessOperation, input, options);
}
