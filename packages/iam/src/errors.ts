import { APIError, type APIErrorInit, SDKError, type SDKErrorOptions } from "@sdk/errors";
import { type Any, type Status, StatusSchema } from "./models.js";

/**
 * An error response the contract declares, with a `google.rpc.Status` body: the generate-token
 * operation's 400, 401 and 500, and the signing-key listing's 500.
 */
export class StatusError extends APIError<Status> {
  static override readonly kind: string = "@sdk/iam.StatusError";
  /** The executor parses the body with this into `data` (undefined when the body is not a Status). */
  static readonly dataSchema = StatusSchema;

  /** `google.rpc.Code`, e.g. 3 INVALID_ARGUMENT, 16 UNAUTHENTICATED, 13 INTERNAL. */
  readonly code: number | undefined;
  /** The Status `details`: `google.protobuf.Any` objects, `@type` included (e.g. an ErrorInfo). */
  readonly details: readonly Any[];

  constructor(init: APIErrorInit<Status>) {
    // The server's own message reads better than a body excerpt (the base class redacts either).
    super({ ...init, message: init.message ?? (init.data?.message || undefined) });
    this.code = init.data?.code;
    this.details = init.data?.details ?? [];
  }

  protected override safeFields(): Record<string, unknown> {
    return { ...super.safeFields(), code: this.code };
  }
}

/** A service-account credentials file that cannot be used. Names the field, never shows its value. */
export class InvalidCredentialsError extends SDKError {
  static override readonly kind: string = "@sdk/iam.InvalidCredentialsError";
  /** The offending field of the credentials file (`privateKey`, `name`, ...), or `""` for the whole file. */
  readonly field: string;

  constructor(field: string, problem: string, options?: SDKErrorOptions) {
    super(`Invalid service-account credentials: ${field ? `${field} ` : ""}${problem}`, options);
    this.field = field;
  }

  protected override safeFields(): Record<string, unknown> {
    return { field: this.field };
  }
}

/** Why `verifyAccessToken` rejected a token. */
export type TokenVerificationReason =
  /**
   * Not a compact JWS with JSON header and claims, longer than `VERIFY_LIMITS.maxTokenLength`, `exp`
   * missing, or a claim of the wrong type (`iat`/`nbf`/`exp` not numbers, `iss`/`sub`/`jti` not strings,
   * `aud` neither a string nor a list of strings).
   */
  | "malformed"
  /** `alg` is not RS256/PS256 (e.g. `none`, HS256), or does not match the key's type or `alg`. */
  | "unsupported_alg"
  /** No listed signing key has the token's `kid` (after one re-fetch), or the key is not for signatures. */
  | "unknown_kid"
  /** The listed key is not usable: not for signatures (`use`, `key_ops`), not an RSA key of ≥ 2048 bits. */
  | "invalid_key"
  /** The signature does not verify: the token was altered or signed by someone else. */
  | "bad_signature"
  /** `exp` is in the past (beyond the clock-skew allowance). */
  | "expired"
  /** `nbf` is in the future (beyond the clock-skew allowance). */
  | "not_yet_valid"
  /** `iss` or `aud` differs from the `issuer`/`audience` asked for, or is missing. */
  | "claim_mismatch"
  /**
   * The signing keys could not be listed (the key endpoint failed, was too slow, or its listing did not
   * end within `VERIFY_LIMITS.maxKeyPages`); after a failure, verifications fail fast for a while.
   */
  | "keys_unavailable";

/** An access token failed verification. The token itself is never part of the error. */
export class TokenVerificationError extends SDKError {
  static override readonly kind: string = "@sdk/iam.TokenVerificationError";
  readonly reason: TokenVerificationReason;
  /** The `kid` from the token header, when there was one (a key id is not a secret). */
  readonly kid: string | undefined;

  constructor(reason: TokenVerificationReason, detail: string, kid?: string, options?: SDKErrorOptions) {
    super(`Access token rejected (${reason}): ${detail}`, options);
    this.reason = reason;
    this.kid = kid;
  }

  protected override safeFields(): Record<string, unknown> {
    return { reason: this.reason, ...(this.kid ? { kid: this.kid } : {}) };
  }
}
