declare const credentialsJson: string;

// ---- README ----
import { AuthClient } from "@sdk/auth";
import { IamClient, parseServiceAccountCredentials, signServiceAccountJws } from "@sdk/iam";
import {
  getAccessMutationOptions,
  getAccessQueryOptions,
  getAccessTokenMutationOptions,
} from "@sdk/query/auth";
import { generateServiceAccountTokenMutationOptions } from "@sdk/query/iam";
import { MutationObserver, QueryClient } from "@tanstack/query-core";

const queryClient = new QueryClient();
const auth = new AuthClient({ security: { apiKey: process.env.REGISTRY_API_KEY } });

// Counts one generation (a change), then refreshes the passive read of the same target.
const check = new MutationObserver(queryClient, getAccessMutationOptions(auth));
const access = await check.mutate({ genLockId: "lock-1", targetType: "typescript" });
console.log(access.level);
await queryClient.invalidateQueries({
  queryKey: getAccessQueryOptions(auth, { genLockId: "lock-1", targetType: "typescript" }).queryKey,
});

// Minting tokens: mutations, so a token never sits in the query cache.
const mint = new MutationObserver(queryClient, getAccessTokenMutationOptions(auth));
const { accessToken } = await mint.mutate({ workspaceId: "ws_123" });

const iam = new IamClient({ security: { apiKeyAuth: process.env.IAM_API_KEY } });
const credentials = parseServiceAccountCredentials(credentialsJson);
const exchange = new MutationObserver(queryClient, generateServiceAccountTokenMutationOptions(iam));
const token = await exchange.mutate({ jws: await signServiceAccountJws(credentials) });
console.log(accessToken.length, token.expiresIn);
