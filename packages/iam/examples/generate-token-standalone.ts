declare const jws: string;

// ---- README ----
import { generateServiceAccountToken, IamCore } from "@sdk/iam";

const core = new IamCore({ security: { apiKeyAuth: process.env.IAM_API_KEY } });
const { data, response, attempts } = await generateServiceAccountToken(core, { jws }).withResponse();
console.log(data.accessToken.length, response.status, attempts);
