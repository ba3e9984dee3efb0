import { type APIPromise, type CallOptions, defineOperation } from "@core/http";
import type { AuthSecurity } from "../api.js";
import type { AuthCore } from "../core.js";
import { AuthError } from "../errors.js";
import { type User, UserSchema } from "../models.js";

export const getUserOperation = defineOperation({
  id: "getUser",
  name: "auth.getUser",
  method: "GET",
  path: "/v1/user",
  output: UserSchema,
  errors: { "4XX": AuthError },
});

/** Gets the user the current credential belongs to. */
export function getUser(client: AuthCore, options?: CallOptions<AuthSecurity>): APIPromise<User> {
  return client.request(getUserOperation, undefined, options);
}
