import { IamClient } from "@sdk/iam";
import { listSigningKeysInfiniteQueryOptions } from "@sdk/query/iam";
import { InfiniteQueryObserver, QueryClient } from "@tanstack/query-core";

const queryClient = new QueryClient();
const iam = new IamClient({ server: "sbx", security: { apiKeyAuth: process.env.IAM_API_KEY } });

// What useInfiniteQuery runs: one request per page, on demand.
const observer = new InfiniteQueryObserver(
  queryClient,
  listSigningKeysInfiniteQueryOptions(iam, { pageSize: 100 }),
);
const stop = observer.subscribe(() => {});
await observer.refetch(); // the first page
while (observer.getCurrentResult().hasNextPage) await observer.fetchNextPage();
const kids = observer.getCurrentResult().data?.pages.flatMap((page) => page.keys.map((key) => key.kid));
console.log(kids?.length);
stop();
