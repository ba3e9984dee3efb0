import { IamClient, parseServiceAccountCredentials, signServiceAccountJws } from "@sdk/iam";

const iam = new IamClient({ security: { apiKeyAuth: process.env.IAM_API_KEY } });
const credentials = parseServiceAccountCredentials(process.env.IAM_SERVICE_ACCOUNT_JSON!);
const jws = await signServiceAccountJws(credentials);

const token = await iam.generateServiceAccountToken({ jws });
console.log(token.tokenType, token.expiresIn); // "Bearer" 3600
