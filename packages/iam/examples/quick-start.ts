import { IamClient } from "@sdk/iam";

const iam = new IamClient({ server: "sbx", security: { apiKeyAuth: process.env.IAM_API_KEY } });

const page = await iam.listSigningKeys({ pageSize: 50 });
console.log(page.keys.length, page.nextPageToken);
