// The tool registry: one small declaration per SDK operation. The server (server.ts) derives
// everything else from these: the JSON Schema of the input (converted from the SDK's own valibot
// schema), which tools are listed, the credentials checked before a call, and which output fields are
// secrets. Adding an operation to an SDK means adding one entry here.
import { type AuthCore, getAccess, getAccessToken, getUser, validateApiKey } from "@sdk/auth";
import { GetAccessInputSchema, GetAccessTokenInputSchema } from "@sdk/auth/schemas";
import {
  generateServiceAccountToken,
  type IamCore,
  listSigningKeys,
  signServiceAccountJws,
  verifyAccessToken,
} from "@sdk/iam";
import { GenerateServiceAccountTokenInputSchema, ListSigningKeysInputSchema } from "@sdk/iam/schemas";
import * as v from "valibot";
import type { Credential } from "./config.js";

/** What a tool's `run` gets: the clients, and a per-call signal (the MCP request's cancellation). */
export interface ToolContext {
  auth: AuthCore;
  iam: IamCore;
  signal: AbortSignal;
  /** The service-account credentials, or a config error naming the variable that provides them. */
  serviceAccount(): NonNullable<Parameters<typeof signServiceAccountJws>[0]>;
}

export interface ToolSpec<S extends v.GenericSchema | undefined = v.GenericSchema | undefined> {
  /** The MCP tool name: `<sdk>_<operation>`. */
  name: string;
  /** The SDK call it makes, for the README and the description. */
  operation: string;
  description: string;
  /**
   * The SDK's input schema (a valibot schema of `@sdk/auth` / `@sdk/iam`); the tool's JSON Schema is
   * converted from it. `undefined`: the operation takes no input.
   */
  input: S;
  /** `read`: listed by default. `mint`: issues a credential, listed only with --allow-token-minting. */
  access: "read" | "mint";
  /** The MCP `readOnlyHint` when it is not what `access` says. */
  readOnly?: boolean;
  /** Credentials checked before the call: a missing one fails with the variable's name. */
  needs: readonly Credential[];
  /** Top-level output fields that are credentials: hidden unless --reveal-secrets, then marked. */
  secrets?: readonly string[];
  run(ctx: ToolContext, input: S extends v.GenericSchema ? v.InferInput<S> : undefined): Promise<unknown>;
}

/** Types one declaration (its `run` sees the input type of its schema). */
function tool<S extends v.GenericSchema | undefined>(spec: ToolSpec<S>): ToolSpec {
  return spec as unknown as ToolSpec;
}

/**
 * `verifyAccessToken(token, options)` is a function of @sdk/iam, not an HTTP operation, so it has no
 * input schema in the SDK; this one exists for the tool only (the SDK checks the token itself).
 */
const VerifyAccessTokenToolInputSchema = v.object({
  /** The IAM access token (compact JWS) to verify. */
  token: v.string(),
});

/** Every tool, in the order they are listed. */
export const TOOLS: readonly ToolSpec[] = [
  tool({
    name: "auth_validateApiKey",
    operation: "@sdk/auth validateApiKey",
    description:
      "Validates the configured registry API key and returns the workspace it belongs to (workspace id and slug, account type, features).",
    input: undefined,
    access: "read",
    needs: ["registryApiKey"],
    run: ({ auth, signal }) => validateApiKey(auth, { signal }),
  }),
  tool({
    name: "auth_getUser",
    operation: "@sdk/auth getUser",
    description: "Returns the user the configured registry API key belongs to.",
    input: undefined,
    access: "read",
    needs: ["registryApiKey"],
    run: ({ auth, signal }) => getUser(auth, { signal }),
  }),
  tool({
    name: "auth_getAccess",
    operation: "@sdk/auth getAccess",
    description:
      "Checks whether SDK generation is allowed for the configured workspace (level, message). Counts a generation run unless `passive` is true.",
    input: GetAccessInputSchema,
    access: "read",
    // It issues nothing, but a non-passive call counts a generation run on the server.
    readOnly: false,
    needs: ["registryApiKey"],
    run: ({ auth, signal }, input) => getAccess(auth, input, { signal }),
  }),
  tool({
    name: "auth_getAccessToken",
    operation: "@sdk/auth getAccessToken",
    description:
      "Gets or refreshes an access token for a workspace, with its claims, user and workspaces. Mints a credential: the token itself is hidden unless the server runs with --reveal-secrets.",
    input: GetAccessTokenInputSchema,
    access: "mint",
    // The contract's `security: []`: the workspace id alone selects the token.
    needs: [],
    secrets: ["accessToken"],
    run: ({ auth, signal }, input) => getAccessToken(auth, input, { signal }),
  }),
  tool({
    name: "iam_listSigningKeys",
    operation: "@sdk/iam listSigningKeys",
    description:
      "Lists one page of the public keys (JWKs) that verify IAM access tokens. Pass the returned `nextPageToken` as `pageToken` for the next page.",
    input: ListSigningKeysInputSchema,
    access: "read",
    needs: ["iamApiKey"],
    // Awaited, the SDK's PagePromise is one page: the tool never walks every page on its own.
    run: async ({ iam, signal }, input) => await listSigningKeys(iam, input, { signal }),
  }),
  tool({
    name: "iam_verifyAccessToken",
    operation: "@sdk/iam verifyAccessToken",
    description:
      "Verifies an IAM access token against the API's signing keys (signature, algorithm, expiry) and returns its claims; a token that fails is an error naming the reason.",
    input: VerifyAccessTokenToolInputSchema,
    access: "read",
    needs: ["iamApiKey"],
    run: ({ iam }, input) => verifyAccessToken(input.token, { client: iam }),
  }),
  tool({
    name: "iam_generateServiceAccountToken",
    operation: "@sdk/iam generateServiceAccountToken",
    description:
      "Exchanges a service-account JWS for an IAM access token. Without `jws`, signs one with the configured service account. Mints a credential: the token is hidden unless the server runs with --reveal-secrets.",
    // The SDK's schema, with `jws` optional: the server can sign it (see run).
    input: v.partial(GenerateServiceAccountTokenInputSchema),
    access: "mint",
    needs: ["iamApiKey"],
    secrets: ["accessToken"],
    run: async (ctx, input) => {
      const jws = input?.jws ?? (await signServiceAccountJws(ctx.serviceAccount()));
      return generateServiceAccountToken(ctx.iam, { jws }, { signal: ctx.signal });
    },
  }),
];
