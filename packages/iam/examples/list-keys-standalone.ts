import { IamCore, listSigningKeys } from "@sdk/iam";

const core = new IamCore({ server: "prod", security: { apiKeyAuth: process.env.IAM_API_KEY } });
for await (const key of listSigningKeys(core, { pageSize: 1000 })) console.log(key.kid);
