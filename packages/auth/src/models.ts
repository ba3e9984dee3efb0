import { dateTime, type OpenEnum, openEnum, wireObject } from "@core/http";
import * as v from "valibot";

// The models of spec/auth.openapi.yaml. Each is a hand-written interface (so fields carry their docs and
// `@deprecated` shows in editors) plus the valibot schema that turns the snake_case wire JSON into it.
// `Exact` below makes the build fail if a schema and its interface ever disagree.

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

// ---------------------------------------------------------------------------------------------- enums

/** Known account types; the API may add more (see {@link AccountType}). */
export const ACCOUNT_TYPES = ["free", "scale-up", "business", "enterprise"] as const;
/** The plan of a workspace. Open: a value this SDK does not know yet arrives as a plain string. */
export type AccountType = OpenEnum<(typeof ACCOUNT_TYPES)[number]>;
export const AccountTypeSchema = openEnum(ACCOUNT_TYPES);

/** Known billing add-ons; the API may add more (see {@link BillingAddOn}). */
export const BILLING_ADD_ONS = ["webhooks", "sdk_testing", "custom_code_regions", "snippet_ai"] as const;
/** A paid add-on of a workspace. Open: unknown values arrive as plain strings. */
export type BillingAddOn = OpenEnum<(typeof BILLING_ADD_ONS)[number]>;
export const BillingAddOnSchema = openEnum(BILLING_ADD_ONS);

/** Known workspace feature flags; the API may add more (see {@link WorkspaceFeatureFlag}). */
export const WORKSPACE_FEATURE_FLAGS = [
  "schema_registry",
  "changes_report",
  "skip_schema_registry",
  "webhooks",
] as const;
/** A feature flag of a workspace. Open: unknown values arrive as plain strings. */
export type WorkspaceFeatureFlag = OpenEnum<(typeof WORKSPACE_FEATURE_FLAGS)[number]>;
export const WorkspaceFeatureFlagSchema = openEnum(WORKSPACE_FEATURE_FLAGS);

/** Every generation access level. Closed: any other value is a response validation error. */
export const ACCESS_LEVELS = ["allowed", "warning", "blocked"] as const;
/** How close a workspace is to its generation quota. */
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export const AccessLevelSchema = v.picklist(ACCESS_LEVELS);

// ------------------------------------------------------------------------------------- ApiKeyDetails

/** The workspace (and organisation) an API key belongs to: the result of `validateApiKey`. */
export interface ApiKeyDetails {
  workspaceId: string;
  workspaceSlug: string;
  orgSlug: string;
  accountTypeV2: AccountType;
  enabledFeatures: string[];
  telemetryDisabled: boolean;
  /** Workspace creation timestamp. */
  workspaceCreatedAt: Date;
  generationAccessUnlimited?: boolean | undefined;
  /** @deprecated The API keeps sending it for old clients; use `enabledFeatures`. */
  featureFlags?: string[] | undefined;
  /** Paid add-ons of the workspace; `[]` when none, or when an older server leaves the field out. */
  billingAddOns: BillingAddOn[];
}

const apiKeyDetails = wireObject({
  workspace_id: v.string(),
  workspace_slug: v.string(),
  org_slug: v.string(),
  account_type_v2: AccountTypeSchema,
  enabled_features: v.array(v.string()),
  telemetry_disabled: v.boolean(),
  workspace_created_at: dateTime(),
  generation_access_unlimited: v.optional(v.boolean()),
  feature_flags: v.optional(v.array(v.string())),
  // Required in the newest contract, absent from older servers: default, don't fail.
  billing_add_ons: v.optional(v.array(BillingAddOnSchema), () => []),
});
type _ApiKeyDetails = Assert<Exact<v.InferOutput<typeof apiKeyDetails>, ApiKeyDetails>>;
/** Parses the wire JSON of {@link ApiKeyDetails}. */
export const ApiKeyDetailsSchema: v.GenericSchema<unknown, ApiKeyDetails> = apiKeyDetails;

// ---------------------------------------------------------------------------------------------- User

/** A registry user: the result of `getUser`. */
export interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  displayName: string;
  confirmed: boolean;
  whitelisted: boolean;
  admin: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** `null` when the user has none (whether the server sent `null` or left the field out). */
  githubHandle: string | null;
  /** `null` when the user has none. */
  photoUrl: string | null;
  /** `null` when the user has none. */
  defaultWorkspaceId: string | null;
  /** `null` when the user never logged in (or the server does not say). */
  lastLoginAt: Date | null;
  internal?: boolean | undefined;
  hasCreatedApiKey?: boolean | undefined;
  pylonIdentityHash?: string | undefined;
}

// Nullable and optional on the wire; one spelling of "no value" (`null`) for callers.
const orNull = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema), null);

const user = wireObject({
  id: v.string(),
  email: v.string(),
  email_verified: v.boolean(),
  display_name: v.string(),
  confirmed: v.boolean(),
  whitelisted: v.boolean(),
  admin: v.boolean(),
  created_at: dateTime(),
  updated_at: dateTime(),
  github_handle: orNull(v.string()),
  photo_url: orNull(v.string()),
  default_workspace_id: orNull(v.string()),
  last_login_at: orNull(dateTime()),
  internal: v.optional(v.boolean()),
  has_created_api_key: v.optional(v.boolean()),
  pylon_identity_hash: v.optional(v.string()),
});
type _User = Assert<Exact<v.InferOutput<typeof user>, User>>;
/** Parses the wire JSON of {@link User}. */
export const UserSchema: v.GenericSchema<unknown, User> = user;

// ------------------------------------------------------------------------------------- AccessToken

/** The user an access token was issued for. Every field is optional upstream. */
export interface AccessTokenUser {
  id?: string | undefined;
  email?: string | undefined;
  displayName?: string | undefined;
  admin?: boolean | undefined;
  createdAt?: Date | undefined;
  emailVerified?: boolean | undefined;
}

const accessTokenUser = wireObject({
  id: v.optional(v.string()),
  email: v.optional(v.string()),
  display_name: v.optional(v.string()),
  admin: v.optional(v.boolean()),
  created_at: v.optional(dateTime()),
  email_verified: v.optional(v.boolean()),
});
type _AccessTokenUser = Assert<Exact<v.InferOutput<typeof accessTokenUser>, AccessTokenUser>>;
/** Parses the wire JSON of {@link AccessTokenUser}. */
export const AccessTokenUserSchema: v.GenericSchema<unknown, AccessTokenUser> = accessTokenUser;

/** A workspace the access token's user can reach. Every field is optional upstream. */
export interface AccessTokenWorkspace {
  id?: string | undefined;
  name?: string | undefined;
  updatedAt?: Date | undefined;
  accountType?: AccountType | undefined;
}

const accessTokenWorkspace = wireObject({
  id: v.optional(v.string()),
  name: v.optional(v.string()),
  updated_at: v.optional(dateTime()),
  account_type: v.optional(AccountTypeSchema),
});
type _AccessTokenWorkspace = Assert<Exact<v.InferOutput<typeof accessTokenWorkspace>, AccessTokenWorkspace>>;
/** Parses the wire JSON of {@link AccessTokenWorkspace}. */
export const AccessTokenWorkspaceSchema: v.GenericSchema<unknown, AccessTokenWorkspace> =
  accessTokenWorkspace;

/** A feature flag of the workspace, possibly a time-limited trial. */
export interface FeatureFlag {
  featureFlag: WorkspaceFeatureFlag;
  /** When the trial ends; `null` for a flag that is not a trial. */
  trialEndsAt: Date | null;
}

const featureFlag = wireObject({
  feature_flag: WorkspaceFeatureFlagSchema,
  trial_ends_at: orNull(dateTime()),
});
type _FeatureFlag = Assert<Exact<v.InferOutput<typeof featureFlag>, FeatureFlag>>;
/** Parses the wire JSON of {@link FeatureFlag}. */
export const FeatureFlagSchema: v.GenericSchema<unknown, FeatureFlag> = featureFlag;

/** An access token for a workspace: the result of `getAccessToken`. */
export interface AccessToken {
  /** The token itself: a credential, keep it out of logs. */
  accessToken: string;
  /** The token's claims as the server sent them (keys unchanged: upstream does not specify them). */
  claims: Record<string, unknown>;
  user: AccessTokenUser;
  workspaces?: AccessTokenWorkspace[] | undefined;
  featureFlags?: FeatureFlag[] | undefined;
}

const accessToken = wireObject({
  access_token: v.string(),
  claims: v.record(v.string(), v.unknown()),
  user: accessTokenUser,
  workspaces: v.optional(v.array(accessTokenWorkspace)),
  feature_flags: v.optional(v.array(featureFlag)),
});
type _AccessToken = Assert<Exact<v.InferOutput<typeof accessToken>, AccessToken>>;
/** Parses the wire JSON of {@link AccessToken}. */
export const AccessTokenSchema: v.GenericSchema<unknown, AccessToken> = accessToken;

// ----------------------------------------------------------------------------------- AccessDetails

/** Whether a generation run is permitted: the result of `getAccess`. */
export interface AccessDetails {
  generationAllowed: boolean;
  /** A human-readable explanation, fit to show to the user. */
  message: string;
  /** `warning` as the quota nears its end, `blocked` once it is spent. */
  level?: AccessLevel | undefined;
}

const accessDetails = wireObject({
  generation_allowed: v.boolean(),
  message: v.string(),
  level: v.optional(AccessLevelSchema),
});
type _AccessDetails = Assert<Exact<v.InferOutput<typeof accessDetails>, AccessDetails>>;
/** Parses the wire JSON of {@link AccessDetails}. */
export const AccessDetailsSchema: v.GenericSchema<unknown, AccessDetails> = accessDetails;

// --------------------------------------------------------------------------------------------- Error

/** The body of the API's typed 4XX errors (`AuthError.data`). */
export interface AuthErrorData {
  /** A developer-facing error message. */
  message: string;
  /** The HTTP status code. */
  statusCode: number;
}

const authErrorData = wireObject({
  message: v.string(),
  status_code: v.pipe(v.number(), v.integer()),
});
type _AuthErrorData = Assert<Exact<v.InferOutput<typeof authErrorData>, AuthErrorData>>;
/** Parses the wire JSON of {@link AuthErrorData} (the contract's `Error` model). */
export const AuthErrorDataSchema: v.GenericSchema<unknown, AuthErrorData> = authErrorData;
