// The mutable state of one server, shared by both APIs (so `revokeTokens`/`reset` act on everything).
import { createPublicKey, type KeyObject, randomUUID } from "node:crypto";
import type { ResettableClock } from "./clock.js";
import type { SeedServiceAccount } from "./seed.js";
import { seed } from "./seed.js";
import { createKeyDirectory, type KeyDirectory } from "./signing-keys.js";
import type { QuotaOptions } from "./types.js";

export interface IssuedToken {
  api: "auth" | "iam";
  exp: number;
}

export interface MockState {
  clock: ResettableClock;
  ttlSeconds: number;
  quota: QuotaOptions;
  tokenAlgorithm: "PS256" | "RS256";
  keys: KeyDirectory;
  /** Counted generations per workspace id. */
  generations: Map<string, number>;
  /** jti → token, for every access token issued since the last reset. */
  issued: Map<string, IssuedToken>;
  revoked: Set<string>;
  /** Service accounts by `name\norganization`, with their public keys. */
  serviceAccounts: Map<string, { account: SeedServiceAccount; publicKey: KeyObject }>;
  newJti(): string;
}

export function serviceAccountKey(name: string, organization: string): string {
  return `${name}\n${organization}`;
}

let accountKeysCache: Map<string, { account: SeedServiceAccount; publicKey: KeyObject }> | undefined;

function accountKeys() {
  accountKeysCache ??= new Map(
    seed.serviceAccounts.map((account) => [
      serviceAccountKey(account.credentials.name, account.credentials.organization),
      { account, publicKey: createPublicKey(account.credentials.privateKey) },
    ]),
  );
  return accountKeysCache;
}

export function createState(options: {
  clock: ResettableClock;
  ttlSeconds: number;
  quota: QuotaOptions;
  tokenAlgorithm: "PS256" | "RS256";
  signingKeyCount: number;
}): MockState {
  return {
    clock: options.clock,
    ttlSeconds: options.ttlSeconds,
    quota: options.quota,
    tokenAlgorithm: options.tokenAlgorithm,
    keys: createKeyDirectory(options.signingKeyCount, options.tokenAlgorithm),
    generations: new Map(),
    issued: new Map(),
    revoked: new Set(),
    serviceAccounts: accountKeys(),
    newJti: randomUUID,
  };
}

export function revokeAll(state: MockState): number {
  let n = 0;
  for (const jti of state.issued.keys()) {
    if (!state.revoked.has(jti)) n += 1;
    state.revoked.add(jti);
  }
  return n;
}

export function resetState(state: MockState): void {
  state.generations.clear();
  state.issued.clear();
  state.revoked.clear();
  state.clock.reset();
}
