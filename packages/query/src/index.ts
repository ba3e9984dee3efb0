// The shared shapes. The factories live in the subpaths, one per SDK, so each pulls in only its SDK:
// `@sdk/query/auth` (needs @sdk/auth) and `@sdk/query/iam` (needs @sdk/iam).
export {
  type FactoryOptions,
  type KeyOrigin,
  keyServer,
  type SdkInfiniteQueryOptions,
  type SdkMutationOptions,
  type SdkQueryKey,
  type SdkQueryOptions,
} from "./core.js";
