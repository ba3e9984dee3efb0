import {
  type AccessDetails,
  type AccessLevel,
  type AccessToken,
  type AccessTokenUser,
  type AccessTokenWorkspace,
  type AccountType,
  type APIError,
  type APIPromise,
  type ApiKeyDetails,
  AuthClient,
  type AuthCore,
  AuthError,
  type AuthErrorData,
  type AuthSecurity,
  type BillingAddOn,
  type CallOptions,
  type FeatureFlag,
  type GetAccessInput,
  type GetAccessTokenInput,
  getAccess,
  getAccessToken,
  getUser,
  type ResponseMeta,
  type User,
  validateApiKey,
  type WorkspaceFeatureFlag,
} from "@sdk/auth";
import type {
  ApiKeyDetailsSchema,
  GetAccessInputSchema,
  GetAccessTokenInputSchema,
  UserSchema,
} from "@sdk/auth/schemas";
import type * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";

declare const auth: AuthClient;
declare const core: AuthCore;

describe("client methods", () => {
  it("return APIPromises of the models", () => {
    expectTypeOf(auth.validateApiKey()).toEqualTypeOf<APIPromise<ApiKeyDetails>>();
    expectTypeOf(auth.getUser()).toEqualTypeOf<APIPromise<User>>();
    expectTypeOf(auth.getAccessToken({ workspaceId: "w" })).toEqualTypeOf<APIPromise<AccessToken>>();
    expectTypeOf(auth.getAccess()).toEqualTypeOf<APIPromise<AccessDetails>>();
    expectTypeOf(auth.getAccess({ passive: true })).resolves.toEqualTypeOf<AccessDetails>();
    expectTypeOf(auth.getUser().withResponse()).resolves.toEqualTypeOf<ResponseMeta<User>>();
  });

  it("have standalone twins taking the core first", () => {
    expectTypeOf(validateApiKey).parameters.toEqualTypeOf<[AuthCore, CallOptions<AuthSecurity>?]>();
    expectTypeOf(getUser(core)).toEqualTypeOf<APIPromise<User>>();
    expectTypeOf(getAccessToken).parameters.toEqualTypeOf<
      [AuthCore, GetAccessTokenInput, CallOptions<AuthSecurity>?]
    >();
    expectTypeOf(getAccess).parameters.toEqualTypeOf<
      [AuthCore, GetAccessInput?, CallOptions<AuthSecurity>?]
    >();
    expectTypeOf(auth).toMatchTypeOf<AuthCore>();
  });

  it("take typed input", () => {
    expectTypeOf<GetAccessTokenInput>().toEqualTypeOf<{ workspaceId: string }>();
    expectTypeOf<NonNullable<GetAccessInput>>().toEqualTypeOf<{
      genLockId?: string | undefined;
      targetType?: string | undefined;
      passive?: boolean | undefined;
    }>();
    // @ts-expect-error workspaceId is required
    auth.getAccessToken({});
    // @ts-expect-error snake_case is the wire, not the SDK
    auth.getAccessToken({ workspace_id: "w" });
    // @ts-expect-error passive is a boolean
    auth.getAccess({ passive: "true" });
    // @ts-expect-error unknown server name
    new AuthClient({ server: "staging" });
  });

  it("take security as a value or a (possibly async) getter, per client and per call", () => {
    expectTypeOf<AuthSecurity>().toEqualTypeOf<{
      apiKey?: string | undefined;
      bearer?: string | undefined;
      workspaceIdentifier?: string | undefined;
    }>();
    new AuthClient({ security: { bearer: "t" } });
    new AuthClient({ security: async () => ({ apiKey: "k" }) });
    auth.getUser({
      security: () => ({ workspaceIdentifier: "w" }),
      timeoutMs: 1,
      retries: { strategy: "none" },
    });
    // @ts-expect-error credentials are strings
    new AuthClient({ security: { apiKey: 1 } });
  });
});

describe("models", () => {
  it("are camelCase with Dates", () => {
    expectTypeOf<ApiKeyDetails["workspaceCreatedAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<ApiKeyDetails["enabledFeatures"]>().toEqualTypeOf<string[]>();
    expectTypeOf<User["createdAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<AccessTokenUser["createdAt"]>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<AccessTokenWorkspace["updatedAt"]>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<ApiKeyDetails>().not.toHaveProperty("workspace_id");
  });

  it("have open enums: known values plus any string", () => {
    expectTypeOf<ApiKeyDetails["accountTypeV2"]>().toEqualTypeOf<AccountType>();
    expectTypeOf<"enterprise">().toMatchTypeOf<AccountType>();
    expectTypeOf<string>().toMatchTypeOf<AccountType>();
    expectTypeOf<string>().toMatchTypeOf<BillingAddOn>();
    expectTypeOf<string>().toMatchTypeOf<WorkspaceFeatureFlag>();
    expectTypeOf<FeatureFlag["featureFlag"]>().toEqualTypeOf<WorkspaceFeatureFlag>();
    expectTypeOf<AccessTokenWorkspace["accountType"]>().toEqualTypeOf<AccountType | undefined>();
  });

  it("keep the access level closed and optional", () => {
    expectTypeOf<AccessLevel>().toEqualTypeOf<"allowed" | "warning" | "blocked">();
    expectTypeOf<AccessDetails["level"]>().toEqualTypeOf<AccessLevel | undefined>();
    expectTypeOf<string>().not.toMatchTypeOf<AccessLevel>();
    expectTypeOf<AccessDetails["generationAllowed"]>().toEqualTypeOf<boolean>();
  });

  it("default billingAddOns, keep claims a plain record, spell no-value as null", () => {
    expectTypeOf<ApiKeyDetails["billingAddOns"]>().toEqualTypeOf<BillingAddOn[]>();
    expectTypeOf<AccessToken["claims"]>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<User["githubHandle"]>().toEqualTypeOf<string | null>();
    expectTypeOf<User["photoUrl"]>().toEqualTypeOf<string | null>();
    expectTypeOf<User["defaultWorkspaceId"]>().toEqualTypeOf<string | null>();
    expectTypeOf<User["lastLoginAt"]>().toEqualTypeOf<Date | null>();
    expectTypeOf<FeatureFlag["trialEndsAt"]>().toEqualTypeOf<Date | null>();
    expectTypeOf<User["internal"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ApiKeyDetails["featureFlags"]>().toEqualTypeOf<string[] | undefined>();
  });

  it("come with valibot schemas producing them", () => {
    expectTypeOf<v.InferOutput<typeof ApiKeyDetailsSchema>>().toEqualTypeOf<ApiKeyDetails>();
    expectTypeOf<v.InferOutput<typeof UserSchema>>().toEqualTypeOf<User>();
    // A schema validates anything (its input is `unknown`): the public type names no private schema.
    expectTypeOf<v.InferInput<typeof ApiKeyDetailsSchema>>().toEqualTypeOf<unknown>();
  });

  it("name each input as an interface equal to what its schema accepts", () => {
    expectTypeOf<v.InferInput<typeof GetAccessInputSchema>>().toEqualTypeOf<GetAccessInput | undefined>();
    expectTypeOf<v.InferInput<typeof GetAccessTokenInputSchema>>().toEqualTypeOf<GetAccessTokenInput>();
  });
});

describe("errors", () => {
  it("AuthError carries the typed error body", () => {
    expectTypeOf<AuthError["data"]>().toEqualTypeOf<AuthErrorData>();
    expectTypeOf<AuthErrorData>().toEqualTypeOf<{ message: string; statusCode: number }>();
    expectTypeOf<AuthError>().toMatchTypeOf<APIError<AuthErrorData>>();
    expectTypeOf(AuthError.kind).toEqualTypeOf<string>();
  });
});
