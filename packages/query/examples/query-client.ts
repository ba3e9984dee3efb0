import { AuthClient, AuthError } from "@sdk/auth";
import { getUserQueryOptions, validateApiKeyQueryOptions } from "@sdk/query/auth";
import { QueryClient } from "@tanstack/query-core";

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } });
const auth = new AuthClient({ security: { apiKey: process.env.REGISTRY_API_KEY } });

try {
  const details = await queryClient.fetchQuery(validateApiKeyQueryOptions(auth));
  const user = await queryClient.fetchQuery(getUserQueryOptions(auth)); // cached for a minute
  console.log(details.workspaceSlug, user.email);
} catch (err) {
  if (err instanceof AuthError) console.error(err.status, err.data.message);
  else throw err;
}

// Typed by the key: ApiKeyDetails | undefined.
const cached = queryClient.getQueryData(validateApiKeyQueryOptions(auth).queryKey);
console.log(cached?.workspaceId);
