import {
  type APIPromise,
  type CallOptions,
  defineOperation,
  type ErrorMap,
  HTTP_METHODS,
  type HttpMethod,
  type Operation,
} from "@core/http";
import * as v from "valibot";
import { DEFAULT_RETRY, type IamSecurity, PROTECTED } from "../api.js";
import type { IamCore } from "../core.js";
import { StatusError } from "../errors.js";

// The contract lists only the two Authentication operations, yet every other operation of the IAM API
// family needs `x-api-key` plus `Authorization: Bearer <access token>`. These helpers make such calls
// through the client, so the token is fetched, shared, renewed and refreshed on 401 automatically.

/** The IAM API family answers errors with a google.rpc.Status body. */
const PROTECTED_ERRORS: ErrorMap = { "4XX": StatusError, "5XX": StatusError };

/**
 * Declares an operation of the IAM API family that needs an access token: security
 * `[["apiKeyAuth", "serviceAccount"], ["apiKeyAuth", "bearerAuth"]]`, StatusError for 4XX/5XX and the
 * IAM retry policy unless given. Run it with `client.request(op, input)`.
 */
export function defineProtectedOperation<
  TInputSchema extends v.GenericSchema | undefined = undefined,
  TOutputSchema extends v.GenericSchema = v.GenericSchema,
  TItem = never,
>(
  operation: Omit<Operation<TInputSchema, TOutputSchema, TItem>, "security">,
): Operation<TInputSchema, TOutputSchema, TItem> {
  return defineOperation({
    errors: PROTECTED_ERRORS,
    retry: DEFAULT_RETRY,
    ...operation,
    security: PROTECTED,
  });
}

/** One ad-hoc protected request. */
export interface ProtectedRequest<TOutput extends v.GenericSchema = v.UnknownSchema> {
  /** Default `GET`. */
  method?: HttpMethod;
  /** A path on the client's server, e.g. `/iam/v1/whoami` (never a full URL: the token stays home). */
  path: string;
  /** Query parameters, wire names. */
  query?: Record<string, unknown>;
  /** A JSON body. */
  body?: unknown;
  /** Validates (and may transform) the JSON response; default: returned as parsed. */
  output?: TOutput;
}

// One leading slash, no scheme or authority (`//host`), no braces (path templates), query or fragment.
const SAFE_PATH = /^\/(?!\/)[^\s{}?#\\]*$/;
const PathInput = v.object({
  // fetch would refuse "TRACE" or "GE T" only once sent, as a connection error (and retry it).
  method: v.picklist(HTTP_METHODS, `one of ${HTTP_METHODS.join(", ")}`),
  path: v.pipe(
    v.string(),
    v.regex(SAFE_PATH, "a path starting with a single / (query parameters go in `query`)"),
  ),
});

/**
 * Makes one protected call of the IAM API family with automatic bearer tokens (see
 * `defineProtectedOperation` for typed, reusable operations). Resolves to the parsed JSON body.
 */
export function callProtected<TOutput extends v.GenericSchema = v.UnknownSchema>(
  client: IamCore,
  request: ProtectedRequest<TOutput>,
  options?: CallOptions<IamSecurity>,
): APIPromise<v.InferOutput<TOutput>> {
  // A missing request object reaches the input check below (path: required), not a bare TypeError.
  const { method: asked, path, query, body, output } = (request ?? {}) as Partial<ProtectedRequest<TOutput>>;
  // fetch reads "get" as GET: so does this (the type asks for upper case).
  const method = typeof asked === "string" ? (asked.toUpperCase() as HttpMethod) : asked;
  const operation = defineProtectedOperation({
    id: "callProtected",
    name: "iam.callProtected",
    method: method && HTTP_METHODS.includes(method) ? method : "GET",
    // Validated as input first: a bad path fails with InvalidRequestError before anything is sent.
    path: typeof path === "string" && SAFE_PATH.test(path) ? path : "/",
    input: PathInput,
    request: () => ({ query, body }),
    output: (output ?? v.unknown()) as TOutput,
  });
  return client.request(operation, { method: method ?? "GET", path: path as string }, options);
}
