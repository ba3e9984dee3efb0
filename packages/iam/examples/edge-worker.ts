import { IamClient, parseServiceAccountCredentials } from "@sdk/iam";

interface Env {
  IAM_API_KEY: string;
  IAM_SERVICE_ACCOUNT_JSON: string;
}

let iam: IamClient | undefined; // one client per isolate: its token cache outlives a request

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    iam ??= new IamClient({
      server: "prod",
      security: {
        apiKeyAuth: env.IAM_API_KEY,
        serviceAccount: parseServiceAccountCredentials(env.IAM_SERVICE_ACCOUNT_JSON),
      },
    });
    return Response.json(await iam.callProtected({ path: "/iam/v1/whoami" }));
  },
};
