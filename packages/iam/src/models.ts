import { compactArray, wireObject } from "@core/http";
import * as v from "valibot";

// The models of spec/iam.openapi.yaml. Wire names (snake_case) become camelCase; JWK member names are
// already short and standard (RFC 7517), so signing keys keep them as they are.

// Each model is a hand-written interface (so fields carry their docs in editors) plus the valibot schema
// that reads the wire JSON into it; `Exact` makes the build fail if the two ever disagree.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** An access token (RFC 6749 §5.1). A response without `access_token` is useless: it fails validation. */
export interface Token {
  /** The bearer token for protected calls (`Authorization: Bearer <accessToken>`). */
  accessToken: string;
  /** Lifetime in seconds, when the server says. */
  expiresIn?: number | undefined;
  /** `Bearer` (the token cache refuses any other type). */
  tokenType?: string | undefined;
}
const token = wireObject({
  access_token: v.pipe(v.string(), v.minLength(1)),
  expires_in: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  token_type: v.optional(v.string()),
});
type _Token = Assert<Exact<v.InferOutput<typeof token>, Token>>;
/** Parses the wire JSON of {@link Token}. */
export const TokenSchema: v.GenericSchema<unknown, Token> = token;

/**
 * A public JSON Web Key (RFC 7517). Upstream leaves it untyped, so every member is optional and
 * unknown members (`x5t`, `x5c`, `key_ops`, ...) are kept.
 */
export interface SigningKey {
  /** Key type, e.g. `RSA`. */
  kty?: string | undefined;
  /** Key id: access tokens name their signing key in the `kid` header. */
  kid?: string | undefined;
  /** RSA modulus, base64url. */
  n?: string | undefined;
  /** RSA public exponent, base64url (`AQAB`). */
  e?: string | undefined;
  /** Algorithm the key is meant for (`PS256`, `RS256`); often absent. */
  alg?: string | undefined;
  /** `sig` for signing keys. */
  use?: string | undefined;
  /** Any other JWK member, kept as sent. */
  [member: string]: unknown;
}
const signingKey = v.looseObject({
  kty: v.optional(v.string()),
  kid: v.optional(v.string()),
  n: v.optional(v.string()),
  e: v.optional(v.string()),
  alg: v.optional(v.string()),
  use: v.optional(v.string()),
});
type _SigningKey = Assert<Exact<v.InferOutput<typeof signingKey>, SigningKey>>;
/** Parses the wire JSON of {@link SigningKey}. */
export const SigningKeySchema: v.GenericSchema<unknown, SigningKey> = signingKey;

/** One page of signing keys. */
export interface ListSigningKeysResponse {
  /** The keys of this page (`null` entries a server may send are dropped). */
  keys: SigningKey[];
  /** Pass as `pageToken` for the next page; absent or empty on the last page. */
  nextPageToken?: string | undefined;
}
const listSigningKeysResponse = wireObject({
  keys: v.optional(compactArray(SigningKeySchema), []),
  next_page_token: v.optional(v.string()),
});
type _ListSigningKeysResponse = Assert<
  Exact<v.InferOutput<typeof listSigningKeysResponse>, ListSigningKeysResponse>
>;
/** Parses the wire JSON of {@link ListSigningKeysResponse}. */
export const ListSigningKeysResponseSchema: v.GenericSchema<unknown, ListSigningKeysResponse> =
  listSigningKeysResponse;

/** `google.protobuf.Any` in JSON: the `@type` URL plus the message's own fields. */
export interface Any {
  /** The message type, e.g. `type.googleapis.com/google.rpc.ErrorInfo`. */
  "@type"?: string | undefined;
  [field: string]: unknown;
}
const any = v.looseObject({ "@type": v.optional(v.string()) });
type _Any = Assert<Exact<v.InferOutput<typeof any>, Any>>;
/** Parses the wire JSON of {@link Any}. */
export const AnySchema: v.GenericSchema<unknown, Any> = any;

/** `google.rpc.Status`, the error body of this API. */
export interface Status {
  /** `google.rpc.Code`: 3 INVALID_ARGUMENT, 16 UNAUTHENTICATED, 13 INTERNAL, ... */
  code?: number | undefined;
  /** A developer-facing message. */
  message?: string | undefined;
  /** Structured details (an `ErrorInfo`, ...). */
  details?: Any[] | undefined;
  [field: string]: unknown;
}
const status = v.looseObject({
  code: v.optional(v.pipe(v.number(), v.integer())),
  message: v.optional(v.string()),
  details: v.optional(compactArray(AnySchema)),
});
type _Status = Assert<Exact<v.InferOutput<typeof status>, Status>>;
/** Parses the wire JSON of {@link Status}. */
export const StatusSchema: v.GenericSchema<unknown, Status> = status;
