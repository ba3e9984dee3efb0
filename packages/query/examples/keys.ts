import { AuthClient } from "@sdk/auth";
import { authQueryKey, validateApiKeyQueryOptions } from "@sdk/query/auth";
import { QueryClient } from "@tanstack/query-core";

const queryClient = new QueryClient();
const acme = new AuthClient({ security: { apiKey: process.env.ACME_API_KEY } });
const globex = new AuthClient({ security: { apiKey: process.env.GLOBEX_API_KEY } });

// Credentials are never in a key: two identities on one QueryClient and one server need a scope.
const a = await queryClient.fetchQuery(validateApiKeyQueryOptions(acme, { scope: "acme" }));
const g = await queryClient.fetchQuery(validateApiKeyQueryOptions(globex, { scope: "globex" }));
console.log(validateApiKeyQueryOptions(acme, { scope: "acme" }).queryKey);
// ["@sdk/auth", { server: "https://api.prod.speakeasy.com", scope: "acme" }, "validateApiKey", {}]

// A prefix: every @sdk/auth query of acme's scope on that server.
await queryClient.invalidateQueries({ queryKey: authQueryKey(acme, { scope: "acme" }) });
console.log(a.workspaceSlug, g.workspaceSlug);
