/** What a 401 or a 403 `insufficient_scope` asked for (RFC 6750 §3, RFC 9728 §5.1). */
export interface ScopeChallenge {
  /** Space-separated scopes the server named; empty when it named none. */
  readonly scope: string
  readonly resourceMetadata?: string
}

/**
 * Where the proxy gets the bearer token it puts on every upstream request: the hub
 * (`HubTokenSource`) in use, the two below in tests.
 */
export interface TokenSource {
  /** The access token to send now, or `undefined` to send none. */
  getToken(): Promise<string | undefined>
  /**
   * Called once after the server answered 401 to `stale`: a fresh token to replay the request
   * with, or `undefined` when there is none (the 401 then reaches the client as an error). The
   * 401's challenge, when it had one, gives a first sign-in its scopes (MCP AZ scope selection).
   */
  refresh(stale: string, challenge?: ScopeChallenge): Promise<string | undefined>
  /**
   * Called once after the server answered 403 `insufficient_scope` to `stale`: a token that also
   * carries the challenged scope (an interactive sign-in), or `undefined` when none can be had.
   * Rejects with the reason when the sign-in failed.
   */
  stepUp(stale: string, challenge: ScopeChallenge): Promise<string | undefined>
  /** The proxy is closing: refresh and step-up give nothing from now on. */
  close?(): void
}

/** For servers that need no sign-in: no Authorization header, nothing to refresh. */
export class NoAuthTokenSource implements TokenSource {
  async getToken(): Promise<undefined> {
    return undefined
  }
  async refresh(): Promise<undefined> {
    return undefined
  }
  async stepUp(): Promise<undefined> {
    return undefined
  }
}

/**
 * A token given up front (tests, or a token pasted by hand); `refreshed` is what a refresh
 * yields, `steppedUp` what a step-up yields, when anything. Counts both so tests can see them.
 */
export class FixedTokenSource implements TokenSource {
  #token: string | undefined
  readonly #refreshed: string | undefined
  readonly #steppedUp: string | undefined
  refreshes = 0
  stepUps = 0

  constructor(token: string | undefined, refreshed?: string, steppedUp?: string) {
    this.#token = token
    this.#refreshed = refreshed
    this.#steppedUp = steppedUp
  }

  async getToken(): Promise<string | undefined> {
    return this.#token
  }

  async refresh(stale: string): Promise<string | undefined> {
    this.refreshes += 1
    if (this.#refreshed === undefined || this.#refreshed === stale) return undefined
    this.#token = this.#refreshed
    return this.#token
  }

  async stepUp(stale: string): Promise<string | undefined> {
    this.stepUps += 1
    if (this.#steppedUp === undefined || this.#steppedUp === stale) return undefined
    this.#token = this.#steppedUp
    return this.#token
  }
}
