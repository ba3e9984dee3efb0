import { IamClient, parseServiceAccountCredentials } from "@sdk/iam";

interface Env {
  IAM_API_KEY: string;
  IAM_SERVICE_ACCOUNT_JSON: string;
}

let iam: IamClient | undefined;
let current: { waitUntil(promise: Promise<unknown>): void } | undefined; // the request being served

export default {
  async fetch(_request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    current = ctx;
    iam ??= new IamClient({
      server: "prod",
      security: {
        apiKeyAuth: env.IAM_API_KEY,
        serviceAccount: parseServiceAccountCredentials(env.IAM_SERVICE_ACCOUNT_JSON),
      },
      tokenRefresh: { waitUntil: (promise) => current?.waitUntil(promise) }, // optional: early renewal only
    });
    return Response.json(await iam.callProtected({ path: "/iam/v1/whoami" }));
  },
};
