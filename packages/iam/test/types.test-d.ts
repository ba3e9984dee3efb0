import type { APIPromise, PagePromise } from "@core/http";
import type { APIError, SDKError } from "@sdk/errors";
import * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AccessTokenClaims,
  type Any,
  callProtected,
  defineProtectedOperation,
  type GenerateServiceAccountTokenInput,
  generateServiceAccountToken,
  IamClient,
  type IamClientOptions,
  IamCore,
  type IamSecurity,
  type IamServer,
  type InvalidCredentialsError,
  type ListSigningKeysInput,
  type ListSigningKeysResponse,
  listSigningKeys,
  parseServiceAccountCredentials,
  type ServiceAccountCredentials,
  type SigningKey,
  type StatusError,
  signServiceAccountJws,
  type Token,
  type TokenStats,
  type TokenVerificationError,
  type TokenVerificationReason,
  verifyAccessToken,
} from "../src/index.js";
import type { GenerateServiceAccountTokenInputSchema, ListSigningKeysInputSchema } from "../src/schemas.js";

declare const iam: IamClient;

describe("public types", () => {
  it("models", () => {
    expectTypeOf<Token>().toEqualTypeOf<{ accessToken: string; expiresIn?: number; tokenType?: string }>();
    expectTypeOf<ListSigningKeysResponse["keys"]>().toEqualTypeOf<SigningKey[]>();
    expectTypeOf<ListSigningKeysResponse["nextPageToken"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SigningKey["kid"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SigningKey["kty"]>().toEqualTypeOf<string | undefined>();
    // Unknown JWK members are kept, typed as unknown.
    expectTypeOf<SigningKey["x5t"]>().toEqualTypeOf<unknown>();
    expectTypeOf<Any["@type"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ListSigningKeysInput>().toEqualTypeOf<{ pageSize?: number; pageToken?: string }>();
  });

  it("client options and security", () => {
    expectTypeOf<IamServer>().toEqualTypeOf<"uat" | "prod" | "sbx">();
    expectTypeOf<IamClientOptions["server"]>().toEqualTypeOf<IamServer | undefined>();
    expectTypeOf<IamSecurity>().toEqualTypeOf<{
      apiKeyAuth?: string | undefined;
      serviceAccount?: ServiceAccountCredentials | undefined;
      bearerAuth?: string | undefined;
    }>();
    expectTypeOf<IamClient>().toExtend<IamCore>();
    // @ts-expect-error: not a server of this API
    new IamClient({ server: "staging" });
    const file = { privateKey: "", name: "", organization: "" };
    // @ts-expect-error: serviceAccount takes parsed credentials, not the raw file
    new IamClient({ security: { apiKeyAuth: "k", serviceAccount: file } });
  });

  it("operations", () => {
    expectTypeOf(iam.generateServiceAccountToken({ jws: "x" })).toEqualTypeOf<APIPromise<Token>>();
    expectTypeOf(iam.listSigningKeys({ pageSize: 50 })).toEqualTypeOf<
      PagePromise<ListSigningKeysResponse, SigningKey>
    >();
    expectTypeOf(iam.listSigningKeys()).toExtend<PromiseLike<ListSigningKeysResponse>>();
    expectTypeOf(iam.listSigningKeys()).toExtend<AsyncIterable<SigningKey>>();
    expectTypeOf(generateServiceAccountToken).parameter(0).toEqualTypeOf<IamCore>();
    expectTypeOf(listSigningKeys(new IamCore(), {}, { security: { apiKeyAuth: "k" } })).toEqualTypeOf<
      PagePromise<ListSigningKeysResponse, SigningKey>
    >();
    // Each input is an interface equal to what its schema accepts (no schema generics in the public type).
    expectTypeOf<
      v.InferInput<typeof GenerateServiceAccountTokenInputSchema>
    >().toEqualTypeOf<GenerateServiceAccountTokenInput>();
    expectTypeOf<v.InferInput<typeof ListSigningKeysInputSchema>>().toEqualTypeOf<
      ListSigningKeysInput | undefined
    >();
    // @ts-expect-error: jws is required
    iam.generateServiceAccountToken({});
    // @ts-expect-error: page_size is the wire name
    iam.listSigningKeys({ page_size: 5 });
  });

  it("protected calls", () => {
    expectTypeOf(iam.callProtected({ path: "/iam/v1/whoami" })).toEqualTypeOf<APIPromise<unknown>>();
    expectTypeOf(callProtected(iam, { path: "/x", output: v.object({ sub: v.string() }) })).toEqualTypeOf<
      APIPromise<{ sub: string }>
    >();
    const op = defineProtectedOperation({
      id: "whoami",
      method: "GET",
      path: "/iam/v1/whoami",
      output: v.object({ sub: v.string() }),
    });
    expectTypeOf(iam.request(op, undefined)).toEqualTypeOf<APIPromise<{ sub: string }>>();
    expectTypeOf(iam.serviceAccountTokens.stats()).toEqualTypeOf<TokenStats>();
  });

  it("service accounts", () => {
    expectTypeOf(parseServiceAccountCredentials).returns.toEqualTypeOf<ServiceAccountCredentials>();
    expectTypeOf<ServiceAccountCredentials["name"]>().toEqualTypeOf<string>();
    // The key is not a property of the credentials object.
    expectTypeOf<ServiceAccountCredentials>().not.toHaveProperty("privateKey");
    expectTypeOf(signServiceAccountJws).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(verifyAccessToken("t", { keys: [] })).toEqualTypeOf<Promise<AccessTokenClaims>>();
    expectTypeOf<AccessTokenClaims["exp"]>().toEqualTypeOf<number>();
    // @ts-expect-error: keys or client is required
    verifyAccessToken("t", { now: 0 });
  });

  it("errors", () => {
    expectTypeOf<StatusError>().toExtend<APIError>();
    expectTypeOf<StatusError["code"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StatusError["details"]>().toEqualTypeOf<readonly Any[]>();
    expectTypeOf<StatusError["data"]["message"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<InvalidCredentialsError>().toExtend<SDKError>();
    expectTypeOf<InvalidCredentialsError["field"]>().toEqualTypeOf<string>();
    expectTypeOf<TokenVerificationError["reason"]>().toEqualTypeOf<TokenVerificationReason>();
    expectTypeOf<TokenVerificationReason>().toEqualTypeOf<
      | "malformed"
      | "unsupported_alg"
      | "unknown_kid"
      | "invalid_key"
      | "bad_signature"
      | "expired"
      | "not_yet_valid"
      | "claim_mismatch"
      | "keys_unavailable"
    >();
  });
});
