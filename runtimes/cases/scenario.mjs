// The one script every runtime of the matrix runs (plain ESM JavaScript, no Node APIs): the SDK
// modules come in as arguments, so Node CommonJS, Node ESM, Bun, Deno, workerd and edge-runtime each
// load them their own way and run exactly these steps against @sdk/mock-api.
//   first(): validate an API key (@sdk/auth); list every signing key page by page; get a
//            service-account token; a protected call (token fetched and cached); verify a token.
//   afterExpiry(): the mock's clock moves past the first token's lifetime; the next protected call
//            still succeeds (the expired token is refused with a 401, renewed once, the call retried).
// `input`: { url, ttlSeconds, auth: { apiKey }, iam: { apiKey, serviceAccount, sub, issuer } }.

/** @param {{ auth: any, iam: any }} sdk */
export function createClients(sdk, input) {
  const auth = new sdk.auth.AuthClient({ serverURL: input.url, security: { apiKey: input.auth.apiKey } });
  const credentials = sdk.iam.parseServiceAccountCredentials(input.iam.serviceAccount);
  const iam = new sdk.iam.IamClient({
    serverURL: input.url,
    security: { apiKeyAuth: input.iam.apiKey, serviceAccount: credentials },
  });
  return { sdk, auth, iam, credentials };
}

export async function first({ sdk, auth, iam, credentials }, input) {
  const details = await auth.validateApiKey();
  let pages = 0;
  const kids = new Set();
  // Bounded: the mock lists a fixed number of keys; 20 pages of 100 is far above it.
  for await (const page of iam.listSigningKeys({ pageSize: 100 }).pages()) {
    pages++;
    for (const key of page.keys) kids.add(key.kid);
    if (pages > 20) throw new Error("more pages than the mock serves");
  }
  const jws = await sdk.iam.signServiceAccountJws(credentials);
  const token = await iam.generateServiceAccountToken({ jws });
  const me = await iam.callProtected({ method: "GET", path: "/iam/v1/whoami" });
  const claims = await sdk.iam.verifyAccessToken(token.accessToken, {
    client: iam,
    issuer: input.iam.issuer,
  });
  return {
    workspaceSlug: details.workspaceSlug,
    pages,
    keys: kids.size,
    tokenType: token.tokenType,
    whoami: me.sub,
    verifiedSub: claims.sub,
    tokenRequests: iam.serviceAccountTokens.stats().tokenRequests,
  };
}

export async function afterExpiry({ iam }, input) {
  const res = await fetch(`${input.url}/__mock/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advanceMs: (input.ttlSeconds + 1) * 1000 }),
  });
  if (!res.ok) throw new Error(`mock clock: ${res.status}`);
  await res.body?.cancel();
  const me = await iam.callProtected({ method: "GET", path: "/iam/v1/whoami" });
  return {
    whoamiAfterExpiry: me.sub,
    tokenRequestsAfterExpiry: iam.serviceAccountTokens.stats().tokenRequests,
  };
}

/** Both phases in one go (the process runtimes); errors become `{ error }` so the runner can show them. */
export async function runAll(sdk, input) {
  try {
    const clients = createClients(sdk, input);
    return { ...(await first(clients, input)), ...(await afterExpiry(clients, input)) };
  } catch (error) {
    return { error: `${error?.name}: ${error?.message}` };
  }
}
