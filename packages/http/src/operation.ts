import type { APIError, APIErrorInit } from "@sdk/errors";
import type * as v from "valibot";
import type { SecretFields } from "./redact.js";
import type { RetryConfig } from "./retry.js";
import type { SecurityRequirement } from "./security.js";

/** The methods an operation may declare (a value too, for callers that check one at run time). */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A typed error class for an error response; `dataSchema` parses its body into `data`. */
export interface ErrorClass {
  new (init: APIErrorInit<any>): APIError<any>;
  readonly dataSchema?: v.GenericSchema;
}

/** Keys: an exact status (`"401"`), a range (`"4XX"`), or `"default"`; exact wins over range over default. */
export type ErrorMap = Readonly<Record<string, ErrorClass>>;

/** The wire parts of a request, produced from the validated input. */
export interface WireRequest {
  /** Values for `{name}` placeholders in the path; encoded by the executor. */
  path?: Record<string, string | number>;
  /** Form style: arrays exploded, booleans as true/false, undefined left out. */
  query?: Record<string, unknown>;
  /** A JSON body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CursorPagination<TOutput, TItem> {
  /** The input field that carries the cursor. */
  inputToken: string;
  /** The next cursor in a page; absent or empty ends the listing. */
  nextToken(page: TOutput): string | undefined | null;
  items(page: TOutput): readonly TItem[];
}

/** One API operation, declared as data. The executor in this package runs any of them. */
export interface Operation<
  TInputSchema extends v.GenericSchema | undefined = v.GenericSchema | undefined,
  TOutputSchema extends v.GenericSchema = v.GenericSchema,
  TItem = never,
> {
  id: string;
  /**
   * The SDK method that runs it, as users call it (`auth.getUser`, `iam.listSigningKeys`): what error
   * messages name. Defaults to `id`.
   */
  name?: string;
  method: HttpMethod;
  /** Path template relative to the server, e.g. `/v1/things/{thingId}`. */
  path: string;
  /** Validates the caller's input before anything is sent. */
  input?: TInputSchema;
  /** Maps the validated input to wire names. */
  request?: (
    input: TInputSchema extends v.GenericSchema ? v.InferOutput<TInputSchema> : undefined,
  ) => WireRequest;
  /** Validates and converts a 2xx JSON body. */
  output: TOutputSchema;
  errors?: ErrorMap;
  security?: SecurityRequirement;
  /** Default retry policy of this operation (client and call settings override it). */
  retry?: RetryConfig;
  /** POST/PATCH are retried only when the operation declares itself safe to repeat. */
  idempotent?: boolean;
  pagination?: CursorPagination<v.InferOutput<TOutputSchema>, TItem>;
  /**
   * Fields whose values are secrets: in the request (`jws`) and in any response (`access_token`).
   * Their values, like every credential the call sends, never appear in an error or a log line.
   */
  secrets?: SecretFields;
}

export type InputOf<O> =
  O extends Operation<infer I, any, any> ? (I extends v.GenericSchema ? v.InferInput<I> : undefined) : never;
export type OutputOf<O> = O extends Operation<any, infer S, any> ? v.InferOutput<S> : never;
export type ItemOf<O> = O extends Operation<any, any, infer T> ? T : never;

/** Declares an operation with its types inferred from the schemas. Pure: unused operations tree-shake. */
/* @__NO_SIDE_EFFECTS__ */
export function defineOperation<
  TInputSchema extends v.GenericSchema | undefined = undefined,
  TOutputSchema extends v.GenericSchema = v.GenericSchema,
  TItem = never,
>(operation: Operation<TInputSchema, TOutputSchema, TItem>): Operation<TInputSchema, TOutputSchema, TItem> {
  return operation;
}
