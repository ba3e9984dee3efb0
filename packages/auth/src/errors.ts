import { APIError, type APIErrorInit } from "@sdk/errors";
import { type AuthErrorData, AuthErrorDataSchema } from "./models.js";

/**
 * A 4XX response of `validateApiKey`, `getUser` or `getAccessToken` with the API's error body
 * (`{ message, status_code }`), e.g. 401 for a rejected credential or 404 for an unknown workspace.
 * Other error responses (5XX) are plain `APIError`s; a 4XX whose body is not that shape is still an
 * `AuthError`, with `data` undefined and the text on `body` (the status picks the class).
 */
export class AuthError extends APIError<AuthErrorData> {
  static override readonly kind: string = "@sdk/auth.AuthError";
  /** The executor parses the error body with this into `data` (left undefined when the body is not that shape). */
  static readonly dataSchema = AuthErrorDataSchema;

  constructor(init: APIErrorInit<AuthErrorData>) {
    // The server's own message reads better than a body excerpt; the base class redacts either.
    super({ ...init, message: init.message ?? (init.data?.message || undefined) });
  }
}
