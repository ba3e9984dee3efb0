import type { IamClient } from "@sdk/iam";

declare const iam: IamClient;
declare const accessToken: string;

// ---- README ----
import { TokenVerificationError, verifyAccessToken } from "@sdk/iam";

try {
  const claims = await verifyAccessToken(accessToken, {
    client: iam,
    audience: "apexapis.com",
    issuer: "apexapis.com",
  });
  console.log(claims.sub, claims.identity_class, claims.sa_kid, new Date(claims.exp * 1000));
} catch (error) {
  if (error instanceof TokenVerificationError)
    console.warn("rejected:", error.reason); // never the token
  else throw error;
}
