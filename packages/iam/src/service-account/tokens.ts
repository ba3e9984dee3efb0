import { abortable, type SecurityContext } from "@core/http";
import { ResponseValidationError } from "@sdk/errors";
import type { IamSecurity } from "../api.js";
import type { IamCore } from "../core.js";
import { InvalidCredentialsError } from "../errors.js";
import type { Token } from "../models.js";
import {
  generateServiceAccountToken,
  generateServiceAccountTokenOperation,
} from "../operations/generate-service-account-token.js";
// Type-only: credentials.ts imports this module (it carries the factory below).
import type { ServiceAccountCredentials } from "./credentials.js";
import { decodeJwt } from "./encoding.js";
import { signServiceAccountJws } from "./jws.js";
import { holdsKey } from "./key-material.js";

// Access tokens of service accounts, for protected calls. One cache slot per (credentials, API key,
// server): the first caller starts the token request and every concurrent caller shares it; a token
// is renewed in the background ahead of expiry while it is still served; a 401 renews it once for all
// the calls that were using it.
//
// Correctness never depends on work outliving a request (edge runtimes such as Cloudflare Workers
// drop a promise nobody awaits when the request that started it ends): a call that finds no valid
// token awaits a renewal itself. It joins one another call is awaiting, never an early (background)
// renewal, and never one older than JOIN_LIMIT_MS: such a renewal may belong to a request that is
// gone, so the call starts its own.

/** Counters of the token cache (for tests, metrics and debugging). */
export interface TokenStats {
  /** Token requests started: first fetches, renewals and refreshes after a 401. */
  tokenRequests: number;
  /** Calls served a cached token. */
  cacheHits: number;
  /** Calls that waited for a token request another call had already started. */
  sharedWaits: number;
  /** Renewals started ahead of expiry, while the current token kept being served. */
  backgroundRenewals: number;
  /** Cached tokens dropped because a protected call got a 401 with them. */
  unauthorizedRefreshes: number;
  /** Token requests that failed. */
  failures: number;
}

export interface TokenRefreshOptions {
  /**
   * Renew this fraction of a token's lifetime before it expires (default 0.1: a one-hour token is
   * renewed after 54 minutes)...
   */
  ratio?: number;
  /** ...but never more than this long before (default 300,000 ms: 5 minutes). */
  maxMarginMs?: number;
  /**
   * Keeps an early renewal alive past the call that started it, e.g. `(p) => ctx.waitUntil(p)` on
   * Cloudflare Workers with the current request's `ctx`. Optional and only for renewing early: a
   * call that needs a token always awaits a renewal itself.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/**
 * A call that finds no valid token joins a renewal another call started at most this long ago (ms,
 * real time); past it, the renewal may belong to a request an edge runtime has dropped, and the
 * call starts its own.
 */
export const JOIN_LIMIT_MS = 15_000;

/** The token cache of a client: `iam.serviceAccountTokens`. */
export interface ServiceAccountTokenCache {
  /** A snapshot of the counters. */
  stats(): TokenStats;
  /** Forgets every cached token: the next protected call requests a new one. */
  clear(): void;
}

/** Exchanges credentials for a token: signs a fresh JWS and calls generateServiceAccountToken. */
export type TokenFetcher = (
  credentials: ServiceAccountCredentials,
  apiKey: string,
  serverURL: string,
) => Promise<Token>;

interface CachedToken {
  value: string;
  /** ms epoch; undefined when neither `expires_in` nor the token's `exp` says (renewed on 401 only). */
  expiresAt: number | undefined;
  /** From here on a background renewal starts. */
  renewAt: number | undefined;
}

export const emptyStats = (): TokenStats => ({
  tokenRequests: 0,
  cacheHits: 0,
  sharedWaits: 0,
  backgroundRenewals: 0,
  unauthorizedRefreshes: 0,
  failures: 0,
});

interface Renewal {
  promise: Promise<CachedToken>;
  /** Real time (Date.now): how long a renewal has run is about requests, not the injected clock. */
  startedAt: number;
  /** Started ahead of expiry by a call that did not wait for it. */
  early: boolean;
}

class TokenSlot {
  #current: CachedToken | undefined;
  #inflight: Renewal | undefined;

  constructor(
    private readonly fetchToken: () => Promise<Token>,
    private readonly now: () => number,
    private readonly refresh: Required<Omit<TokenRefreshOptions, "waitUntil">> &
      Pick<TokenRefreshOptions, "waitUntil">,
    private readonly stats: TokenStats,
  ) {}

  /** A usable token: cached, or from a renewal this call awaits (joined or its own). */
  async get(): Promise<string> {
    const now = this.now();
    const current = this.#current;
    if (current && (current.expiresAt === undefined || now < current.expiresAt)) {
      if (current.renewAt !== undefined && now >= current.renewAt && !this.#live()) {
        this.stats.backgroundRenewals++;
        const settled = this.#start(true).promise.then(
          () => undefined,
          () => {
            // Still valid: keep serving it, and try again after a quarter of the time it has left.
            if (this.#current === current && current.expiresAt !== undefined) {
              const left = current.expiresAt - this.now();
              current.renewAt = this.now() + Math.max(1000, left / 4);
            }
          },
        );
        this.refresh.waitUntil?.(settled);
      }
      this.stats.cacheHits++;
      return current.value;
    }
    return (await this.#awaited()).value;
  }

  /**
   * A protected call got a 401 with `used`: drop it (unless a newer token replaced it already) and make
   * sure a fresh one is ready. Concurrent 401s with the same token share one token request.
   */
  async renewAfterUnauthorized(used: string): Promise<boolean> {
    if (this.#current?.value === used) {
      this.#current = undefined;
      this.stats.unauthorizedRefreshes++;
    }
    if (this.#current) return true;
    await this.#awaited();
    return true;
  }

  /** The renewal in flight, unless it is old enough to belong to a request that is gone. */
  #live(): Renewal | undefined {
    const r = this.#inflight;
    return r && Date.now() - r.startedAt < JOIN_LIMIT_MS ? r : undefined;
  }

  /** A renewal this call awaits itself: one another waiting call started, or a new one. */
  async #awaited(): Promise<CachedToken> {
    const r = this.#live();
    if (!r || r.early) return this.#start(false).promise;
    this.stats.sharedWaits++;
    let wake = () => {};
    const gone = new Promise<undefined>((resolve) => {
      wake = () => resolve(undefined);
    });
    const timer = setTimeout(wake, Math.max(0, r.startedAt + JOIN_LIMIT_MS - Date.now()));
    try {
      const token = await Promise.race([r.promise, gone]);
      if (token) return token;
    } finally {
      clearTimeout(timer);
    }
    // The renewal joined never settled (its request may have been dropped): join the one another
    // waiting call started meanwhile, or start one. One new renewal per JOIN_LIMIT_MS, not one per caller.
    if (this.#inflight === r) this.#inflight = undefined;
    return this.#awaited();
  }

  #start(early: boolean): Renewal {
    const started = this.now();
    this.stats.tokenRequests++;
    const promise = Promise.resolve()
      .then(() => this.fetchToken())
      .then(
        (token) => {
          const cached = this.#toCached(token, started);
          // A late early renewal must not replace a token that lives longer.
          const current = this.#current;
          if (
            !current ||
            current.expiresAt === undefined ||
            cached.expiresAt === undefined ||
            cached.expiresAt >= current.expiresAt
          ) {
            this.#current = cached;
          }
          return cached;
        },
        (error: unknown) => {
          this.stats.failures++;
          throw error;
        },
      );
    const renewal: Renewal = { promise, startedAt: Date.now(), early };
    this.#inflight = renewal;
    const settle = () => {
      if (this.#inflight === renewal) this.#inflight = undefined;
    };
    promise.then(settle, settle);
    return renewal;
  }

  #toCached(token: Token, started: number): CachedToken {
    let lifetimeMs = token.expiresIn !== undefined ? token.expiresIn * 1000 : undefined;
    if (lifetimeMs === undefined) {
      // No expires_in: the token's own `exp` claim, when it is a JWT, is the next best source.
      const exp = decodeJwt(token.accessToken)?.claims.exp;
      if (typeof exp === "number" && Number.isFinite(exp)) lifetimeMs = exp * 1000 - started;
    }
    if (lifetimeMs === undefined)
      return { value: token.accessToken, expiresAt: undefined, renewAt: undefined };
    // Lifetime counted from when the request started: the server's clock started it no earlier.
    const expiresAt = started + lifetimeMs;
    const margin = Math.min(Math.max(lifetimeMs, 0) * this.refresh.ratio, this.refresh.maxMarginMs);
    return { value: token.accessToken, expiresAt, renewAt: expiresAt - margin };
  }
}

/** The token cache of one client, plugged into @core/http as the `serviceAccount` custom scheme. */
export class ServiceAccountTokens {
  #slots = new WeakMap<ServiceAccountCredentials, Map<string, TokenSlot>>();
  /** The token each attempt was sent with, to know which one a 401 condemns. */
  readonly #sentWith = new WeakMap<object, { slot: TokenSlot; token: string }>();
  #stats = emptyStats();
  readonly #fetch: TokenFetcher;
  readonly #now: () => number;
  readonly #refresh: ConstructorParameters<typeof TokenSlot>[2];

  constructor(fetch: TokenFetcher, now: () => number, refresh: TokenRefreshOptions = {}) {
    this.#fetch = fetch;
    this.#now = now;
    this.#refresh = {
      ratio: refresh.ratio ?? 0.1,
      maxMarginMs: refresh.maxMarginMs ?? 300_000,
      waitUntil: refresh.waitUntil,
    };
  }

  stats(): TokenStats {
    return { ...this.#stats };
  }

  clear(): void {
    this.#slots = new WeakMap();
  }

  #slot(value: unknown, ctx: SecurityContext<IamSecurity>): TokenSlot {
    if (!holdsKey(value)) {
      throw new InvalidCredentialsError(
        "serviceAccount",
        "must be the result of parseServiceAccountCredentials(file)",
      );
    }
    const apiKey = ctx.security.apiKeyAuth ?? "";
    const serverURL = ctx.hook.baseURL;
    const credentials = value as ServiceAccountCredentials;
    let slots = this.#slots.get(credentials);
    if (!slots) this.#slots.set(credentials, (slots = new Map()));
    const key = `${serverURL}\n${apiKey}`;
    let slot = slots.get(key);
    if (!slot) {
      slot = new TokenSlot(
        () => this.#fetch(value as ServiceAccountCredentials, apiKey, serverURL),
        this.#now,
        this.#refresh,
        this.#stats,
      );
      slots.set(key, slot);
    }
    return slot;
  }

  /** The `serviceAccount` custom scheme's `apply`: `Authorization: Bearer <token>`. */
  async apply(value: unknown, ctx: SecurityContext<IamSecurity>): Promise<Record<string, string>> {
    const slot = this.#slot(value, ctx);
    // A caller that aborts, or whose attempt or call times out (ctx.signal), stops waiting; the shared
    // request runs on for the others.
    const token = await abortable(slot.get(), ctx.signal);
    this.#sentWith.set(ctx, { slot, token });
    return { authorization: `Bearer ${token}` };
  }

  /** The scheme's `onUnauthorized`: renew the token the failed attempt carried, then retry once. */
  async onUnauthorized(_value: unknown, ctx: SecurityContext<IamSecurity>): Promise<boolean> {
    const sent = this.#sentWith.get(ctx);
    return sent ? sent.slot.renewAfterUnauthorized(sent.token) : false;
  }
}

/**
 * The token cache of `core`, fetching tokens with a fresh JWS through `core` itself. Reached through
 * the credentials object (see credentials.ts), so only apps that parse credentials bundle this.
 */
export function serviceAccountTokensFor(
  core: IamCore,
  now: () => number,
  refresh: TokenRefreshOptions | undefined,
): ServiceAccountTokens {
  return new ServiceAccountTokens(
    async (credentials, apiKey, serverURL) => {
      const { data, response } = await generateServiceAccountToken(
        core,
        { jws: await signServiceAccountJws(credentials, { now: now() }) },
        { security: { apiKeyAuth: apiKey }, serverURL },
      ).withResponse();
      // The cache sends `Authorization: Bearer <token>`: a token of another type (e.g. a
      // proof-of-possession token) would be sent wrongly, so it is refused, not cached.
      if (data.tokenType !== undefined && data.tokenType.toLowerCase() !== "bearer") {
        throw new ResponseValidationError({
          operation: generateServiceAccountTokenOperation.id,
          issues: [
            { path: "token_type", expected: '"Bearer"', received: "string", message: "is not Bearer" },
          ],
          status: response.status,
          headers: response.headers,
          body: "", // not kept: it holds the token
          response,
          message: `the token type is ${JSON.stringify(data.tokenType.slice(0, 40))}, and only Bearer tokens can be sent`,
        });
      }
      return data;
    },
    now,
    refresh,
  );
}
