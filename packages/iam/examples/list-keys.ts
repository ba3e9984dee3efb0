import type { IamClient } from "@sdk/iam";

declare const iam: IamClient;

// ---- README ----
const first = await iam.listSigningKeys({ pageSize: 50 }); // awaited: one page
console.log(first.keys.length, first.nextPageToken);

for await (const key of iam.listSigningKeys({ pageSize: 200 })) {
  console.log(key.kid, key.alg); // every key of every page, fetched lazily
}

for await (const page of iam.listSigningKeys({ pageSize: 200 }).pages()) {
  console.log(page.keys.length); // whole pages
}
