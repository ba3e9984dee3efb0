import { readFileSync } from "node:fs";
import { IamClient, parseServiceAccountCredentials } from "@sdk/iam";

const credentials = parseServiceAccountCredentials(readFileSync("service-account.json", "utf8"));
const iam = new IamClient({
  server: "prod",
  security: { apiKeyAuth: process.env.IAM_API_KEY, serviceAccount: credentials },
});

// Any other operation of the IAM API family: x-api-key and Authorization: Bearer <token>, automatically.
const me = await iam.callProtected({ method: "GET", path: "/iam/v1/whoami" });
console.log(me);
