// The deterministic seed: every server starts from exactly this data, so tests can hard-code expectations.
import { TEST_ONLY_SERVICE_ACCOUNT_PRIVATE_KEYS } from "./fixtures/test-keys.js";
import type {
  AccountType,
  DeepReadonly,
  SeededCredentials,
  SeededWorkspaceCredentials,
  ServiceAccountCredentials,
} from "./types.js";

export interface SeedOrganization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

export interface SeedUser {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly emailVerified: boolean;
  readonly confirmed: boolean;
  readonly whitelisted: boolean;
  readonly admin: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly githubHandle: string | null;
  readonly photoUrl: string | null;
  readonly defaultWorkspaceId: string | null;
  readonly lastLoginAt: string | null;
  readonly internal: boolean;
  readonly hasCreatedApiKey: boolean;
}

export type BillingAddOn = "webhooks" | "sdk_testing" | "custom_code_regions" | "snippet_ai";
export type WorkspaceFeatureFlag = "schema_registry" | "changes_report" | "skip_schema_registry" | "webhooks";

export interface SeedWorkspace {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly orgSlug: string;
  readonly accountType: AccountType;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly ownerUserId: string;
  readonly enabledFeatures: readonly string[];
  readonly telemetryDisabled: boolean;
  readonly billingAddOns: readonly BillingAddOn[];
  readonly featureFlags: readonly {
    readonly flag: WorkspaceFeatureFlag;
    readonly trialEndsAt: string | null;
  }[];
  readonly apiKey: string;
  readonly bearer: string;
  readonly workspaceIdentifier: string;
}

export interface SeedServiceAccount {
  /** The `sub` of its access tokens: a UUID, as upstream. */
  readonly id: string;
  /** The id of its (one) service-account key: the `sa_kid` claim of its access tokens. */
  readonly keyId: string;
  readonly credentials: Readonly<ServiceAccountCredentials>;
}

const organizations: SeedOrganization[] = [
  { id: "8d0c6f3e-2b1a-4c5d-9e8f-1a2b3c4d5e6f", slug: "acme", name: "Acme Corporation" },
  { id: "3f2e1d0c-9b8a-4776-8554-433221100ffe", slug: "globex", name: "Globex Industries" },
];

const users: SeedUser[] = [
  {
    id: "usr_2b7f9c41d0e8",
    email: "ada@acme.example",
    displayName: "Ada Lovelace",
    emailVerified: true,
    confirmed: true,
    whitelisted: true,
    admin: false,
    createdAt: "2023-02-14T09:12:44Z",
    updatedAt: "2025-06-03T16:40:02Z",
    githubHandle: "ada-l",
    photoUrl: "https://avatars.example/ada.png",
    defaultWorkspaceId: "c3a1b2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    lastLoginAt: "2025-06-03T16:40:02Z",
    internal: false,
    hasCreatedApiKey: true,
  },
  {
    id: "usr_91ac3e57b6f2",
    email: "grace@globex.example",
    displayName: "Grace Hopper",
    emailVerified: true,
    confirmed: true,
    whitelisted: true,
    admin: false,
    createdAt: "2022-11-30T21:05:10Z",
    updatedAt: "2025-04-18T08:00:00Z",
    // Nullable members are null for this user, so clients exercise both shapes.
    githubHandle: null,
    photoUrl: null,
    defaultWorkspaceId: null,
    lastLoginAt: null,
    internal: false,
    hasCreatedApiKey: true,
  },
  {
    id: "usr_5d04e8a2c9b1",
    email: "katherine@globex.example",
    displayName: "Katherine Johnson",
    emailVerified: false,
    confirmed: true,
    whitelisted: true,
    admin: true,
    createdAt: "2021-07-01T12:00:00Z",
    updatedAt: "2025-01-09T10:30:15Z",
    githubHandle: "kjohnson",
    photoUrl: null,
    defaultWorkspaceId: "f0e1d2c3-b4a5-4968-8776-655443322110",
    lastLoginAt: "2025-05-27T07:45:00Z",
    internal: true,
    hasCreatedApiKey: true,
  },
];

const workspaces: SeedWorkspace[] = [
  {
    id: "c3a1b2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    slug: "acme-sandbox",
    name: "Acme Sandbox",
    orgSlug: "acme",
    accountType: "free",
    createdAt: "2023-02-14T09:20:00Z",
    updatedAt: "2025-05-30T11:11:11Z",
    ownerUserId: "usr_2b7f9c41d0e8",
    enabledFeatures: [],
    telemetryDisabled: false,
    billingAddOns: [],
    featureFlags: [{ flag: "schema_registry", trialEndsAt: "2030-01-31T00:00:00Z" }],
    apiKey: "mock_ak_acme_sandbox_5f3c9a1e7b2d4f60",
    bearer: "mock_bt_acme_sandbox_0a9e4c7d2b6f1385",
    workspaceIdentifier: "mock_wsi_acme_sandbox_7e21c4b9d08a",
  },
  {
    id: "a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d",
    slug: "acme-platform",
    name: "Acme Platform",
    orgSlug: "acme",
    accountType: "scale-up",
    createdAt: "2023-05-02T14:03:27Z",
    updatedAt: "2025-06-01T09:00:00Z",
    ownerUserId: "usr_2b7f9c41d0e8",
    enabledFeatures: ["schema_registry", "changes_report"],
    telemetryDisabled: false,
    billingAddOns: ["webhooks"],
    featureFlags: [
      { flag: "schema_registry", trialEndsAt: null },
      { flag: "changes_report", trialEndsAt: null },
    ],
    apiKey: "mock_ak_acme_platform_c81d2e9f4a7b3065",
    bearer: "mock_bt_acme_platform_6d2f8b1c9e4a7035",
    workspaceIdentifier: "mock_wsi_acme_platform_3b9f6e2a1c47",
  },
  {
    id: "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
    slug: "globex-core",
    name: "Globex Core APIs",
    orgSlug: "globex",
    accountType: "business",
    createdAt: "2022-12-01T08:30:00Z",
    updatedAt: "2025-04-18T08:05:00Z",
    ownerUserId: "usr_91ac3e57b6f2",
    enabledFeatures: ["schema_registry", "changes_report", "webhooks"],
    telemetryDisabled: false,
    billingAddOns: ["webhooks", "sdk_testing"],
    featureFlags: [
      { flag: "schema_registry", trialEndsAt: null },
      { flag: "webhooks", trialEndsAt: null },
    ],
    apiKey: "mock_ak_globex_core_9e7a3c5b1d2f8064",
    bearer: "mock_bt_globex_core_4c1a7e9d3b5f2860",
    workspaceIdentifier: "mock_wsi_globex_core_8a4d2f6c0e19",
  },
  {
    id: "f0e1d2c3-b4a5-4968-8776-655443322110",
    slug: "globex-enterprise",
    name: "Globex Enterprise",
    orgSlug: "globex",
    accountType: "enterprise",
    createdAt: "2021-07-01T12:10:00Z",
    updatedAt: "2025-05-27T07:50:00Z",
    ownerUserId: "usr_5d04e8a2c9b1",
    enabledFeatures: ["schema_registry", "changes_report", "webhooks", "custom_code_regions", "snippet_ai"],
    // Enterprise tenants often opt out of telemetry; keeps `true` represented in the seed.
    telemetryDisabled: true,
    billingAddOns: ["webhooks", "sdk_testing", "custom_code_regions", "snippet_ai"],
    featureFlags: [
      { flag: "schema_registry", trialEndsAt: null },
      { flag: "changes_report", trialEndsAt: null },
      { flag: "skip_schema_registry", trialEndsAt: null },
      { flag: "webhooks", trialEndsAt: null },
    ],
    apiKey: "mock_ak_globex_enterprise_2d8f6a4c0e1b9357",
    bearer: "mock_bt_globex_enterprise_8b3e5d7a1f9c4026",
    workspaceIdentifier: "mock_wsi_globex_enterprise_5c7e9a1b3d20",
  },
];

const iamApiKeys = ["mock_iam_ak_7c4e2a9f1b6d3e80", "mock_iam_ak_secondary_3a6f9c2e8d1b4075"];

const [saKey1, saKey2, saKeyUnknown] = TEST_ONLY_SERVICE_ACCOUNT_PRIVATE_KEYS as [string, string, string];

const serviceAccounts: SeedServiceAccount[] = [
  {
    id: "4e0b6f52-1c3d-4a7e-9b8f-2d6c5a1e3f70",
    keyId: "0f7c2d9e-4b1a-4e6c-8a3f-5d2b9c1e7a40",
    credentials: {
      privateKey: saKey1,
      name: "FinFirm",
      organization: "correspondents/00000000-0000-0000-0000-000000000000",
      type: "serviceAccount",
    },
  },
  {
    id: "9a3d7c1e-5b2f-4e8a-8c6d-0f1e2d3c4b5a",
    keyId: "6e1a8b3c-2d5f-4c7e-9a0b-3f4d6e8a1c25",
    credentials: {
      privateKey: saKey2,
      name: "LedgerBot",
      organization: "correspondents/6b1f0c8e-2a4d-4f3b-9e7c-5d8a0b2c4e61",
      type: "serviceAccount",
    },
  },
];

const unknownServiceAccount: ServiceAccountCredentials = {
  privateKey: saKeyUnknown,
  name: "GhostCorp",
  organization: "correspondents/ffffffff-ffff-4fff-bfff-ffffffffffff",
  type: "serviceAccount",
};

/** `iss` of the IAM access tokens the mock issues (as upstream's). */
export const MOCK_IAM_ISSUER = "apexapis.com";
/** `aud` of the IAM access tokens the mock issues (as upstream's). */
export const MOCK_IAM_AUDIENCE = "apexapis.com";

/** Frozen at run time and read-only in its type, at every depth. */
function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value as DeepReadonly<T>;
}

/** The complete seed data (read-only): organisations, users, workspaces, IAM keys and service accounts. */
export const seed = deepFreeze({
  organizations,
  users,
  workspaces,
  iamApiKeys,
  serviceAccounts,
  unknownServiceAccount,
});

export type Seed = typeof seed;

function workspaceCredentials(ws: SeedWorkspace): SeededWorkspaceCredentials {
  const user = users.find((u) => u.id === ws.ownerUserId)!;
  return {
    id: ws.id,
    slug: ws.slug,
    name: ws.name,
    orgSlug: ws.orgSlug,
    accountType: ws.accountType,
    apiKey: ws.apiKey,
    bearer: ws.bearer,
    workspaceIdentifier: ws.workspaceIdentifier,
    userId: user.id,
    userEmail: user.email,
  };
}

const workspaceCreds = workspaces.map(workspaceCredentials);
const first = workspaceCreds[0]!;

/** The seeded credentials (same value as `server.credentials`). TEST-ONLY values, published on purpose. */
export const seededCredentials: DeepReadonly<SeededCredentials> = deepFreeze<SeededCredentials>({
  auth: {
    apiKey: first.apiKey,
    bearer: first.bearer,
    workspaceIdentifier: first.workspaceIdentifier,
    workspaceId: first.id,
    workspaceSlug: first.slug,
    orgSlug: first.orgSlug,
    userId: first.userId,
    userEmail: first.userEmail,
    workspaces: workspaceCreds,
    unknown: {
      apiKey: "mock_ak_unknown_0000000000000000",
      bearer: "mock_bt_unknown_0000000000000000",
      workspaceIdentifier: "mock_wsi_unknown_000000000000",
      workspaceId: "00000000-0000-4000-8000-000000000000",
    },
  },
  iam: {
    apiKey: iamApiKeys[0]!,
    apiKeys: iamApiKeys,
    unknownApiKey: "mock_iam_ak_unknown_0000000000000",
    serviceAccount: serviceAccounts[0]!.credentials,
    serviceAccounts: serviceAccounts.map((sa) => sa.credentials),
    serviceAccountIds: serviceAccounts.map((sa) => sa.id),
    unknownServiceAccount,
    issuer: MOCK_IAM_ISSUER,
    audience: MOCK_IAM_AUDIENCE,
  },
});
