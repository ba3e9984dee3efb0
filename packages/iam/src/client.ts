import type { APIPromise, CallOptions, PagePromise } from "@core/http";
import type * as v from "valibot";
import type { IamSecurity } from "./api.js";
import { IamCore } from "./core.js";
import type { ListSigningKeysResponse, SigningKey, Token } from "./models.js";
import {
  type GenerateServiceAccountTokenInput,
  generateServiceAccountToken,
} from "./operations/generate-service-account-token.js";
import { type ListSigningKeysInput, listSigningKeys } from "./operations/list-signing-keys.js";
import { callProtected, type ProtectedRequest } from "./operations/protected.js";

/** The IAM Authentication API client: one method per operation, plus protected calls. */
export class IamClient extends IamCore {
  /** Creates an access token for a service account, in exchange for a signed JWS. */
  generateServiceAccountToken(
    input: GenerateServiceAccountTokenInput,
    options?: CallOptions<IamSecurity>,
  ): APIPromise<Token> {
    return generateServiceAccountToken(this, input, options);
  }

  /**
   * Lists the public keys that sign this service's access tokens. Await it for one page; iterate it
   * for every key across all pages (fetched lazily); `.pages()` for whole pages.
   */
  listSigningKeys(
    input?: ListSigningKeysInput,
    options?: CallOptions<IamSecurity>,
  ): PagePromise<ListSigningKeysResponse, SigningKey> {
    return listSigningKeys(this, input, options);
  }

  /**
   * Calls another operation of the IAM API family with `x-api-key` and an automatic
   * `Authorization: Bearer <token>` (from `security.serviceAccount`, or `security.bearerAuth`).
   */
  callProtected<TOutput extends v.GenericSchema = v.UnknownSchema>(
    request: ProtectedRequest<TOutput>,
    options?: CallOptions<IamSecurity>,
  ): APIPromise<v.InferOutput<TOutput>> {
    return callProtected(this, request, options);
  }
}
