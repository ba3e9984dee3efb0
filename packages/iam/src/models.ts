import { compactArray, wireObject } from "@core/http";
import * as v from "valibot";

// The models of spec/iam.openapi.yaml. Wire names (snake_case) become camelCase; JWK member names are
// already short and standard (RFC 7517), so signing keys keep them as they are.

/** An access token (RFC 6749 §5.1). A response without `access_token` is useless: it fails validation. */
export const TokenSchema = wireObject({
  access_token: v.pipe(v.string(), v.minLength(1)),
  /** Lifetime in seconds. */
  expires_in: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  token_type: v.optional(v.string()),
});
export type Token = v.InferOutput<typeof TokenSchema>;

/**
 * A public JSON Web Key. Upstream leaves it untyped, so every member is optional and unknown members
 * (`x5t`, `x5c`, `key_ops`, ...) are kept.
 */
export const SigningKeySchema = v.looseObject({
  /** Key type, e.g. `RSA`. */
  kty: v.optional(v.string()),
  /** Key id: access tokens name their signing key in the `kid` header. */
  kid: v.optional(v.string()),
  /** RSA modulus, base64url. */
  n: v.optional(v.string()),
  /** RSA public exponent, base64url (`AQAB`). */
  e: v.optional(v.string()),
  /** Algorithm the key is meant for (`PS256`, `RS256`); often absent. */
  alg: v.optional(v.string()),
  /** `sig` for signing keys. */
  use: v.optional(v.string()),
});
export type SigningKey = v.InferOutput<typeof SigningKeySchema>;

/** One page of signing keys. `keys` may hold `null` entries upstream: they are dropped. */
export const ListSigningKeysResponseSchema = wireObject({
  keys: v.optional(compactArray(SigningKeySchema), []),
  /** Absent or empty on the last page. */
  next_page_token: v.optional(v.string()),
});
export type ListSigningKeysResponse = v.InferOutput<typeof ListSigningKeysResponseSchema>;

/** `google.protobuf.Any` in JSON: the `@type` URL plus the message's own fields. */
export const AnySchema = v.looseObject({ "@type": v.optional(v.string()) });
export type Any = v.InferOutput<typeof AnySchema>;

/** `google.rpc.Status`, the error body of this API. */
export const StatusSchema = v.looseObject({
  /** `google.rpc.Code`: 3 INVALID_ARGUMENT, 16 UNAUTHENTICATED, 13 INTERNAL, ... */
  code: v.optional(v.pipe(v.number(), v.integer())),
  message: v.optional(v.string()),
  details: v.optional(compactArray(AnySchema)),
});
export type Status = v.InferOutput<typeof StatusSchema>;
