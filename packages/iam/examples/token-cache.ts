import type { ServiceAccountCredentials } from "@sdk/iam";

declare const credentials: ServiceAccountCredentials;

// ---- README ----
import { IamClient } from "@sdk/iam";

const iam = new IamClient({
  security: { apiKeyAuth: process.env.IAM_API_KEY, serviceAccount: credentials },
  tokenRefresh: { ratio: 0.2, maxMarginMs: 10 * 60_000 }, // renew 20% of the lifetime early, 10 min at most
});
console.log(iam.serviceAccountTokens.stats()); // { tokenRequests, cacheHits, sharedWaits, ... }
iam.serviceAccountTokens.clear(); // e.g. after rotating the service account's key
