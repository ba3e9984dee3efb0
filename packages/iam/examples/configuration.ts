declare const secrets: { get(name: string): Promise<string> };

// ---- README ----
import { IamClient } from "@sdk/iam";

const iam = new IamClient({
  serverURL: "https://iam.internal.example", // or server: "uat" (default) | "prod" | "sbx"
  security: async () => ({ apiKeyAuth: await secrets.get("iam-api-key") }), // re-read for every request
  retries: {
    strategy: "backoff",
    backoff: { initialInterval: 250, maxInterval: 2_000, exponent: 2, maxElapsedTime: 10_000 },
    retryConnectionErrors: true,
    statusCodes: [429, 502, 503, 504],
  },
  timeoutMs: 10_000, // per attempt
  logger: console, // one line per attempt and retry; credential headers redacted
});

// Per call: retries, timeoutMs, signal, headers, serverURL, security.
await iam.listSigningKeys(
  { pageSize: 10 },
  { retries: { strategy: "none" }, timeoutMs: 2_000, signal: AbortSignal.timeout(5_000) },
);
