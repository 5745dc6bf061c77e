/**
 * Where the proxy gets the bearer token it puts on every upstream request: the hub
 * (`HubTokenSource`) in use, the two below in tests.
 */
export interface TokenSource {
  /** The access token to send now, or `undefined` to send none. */
  getToken(): Promise<string | undefined>
  /**
   * Called once after the server answered 401 to `stale`: a fresh token to replay the request
   * with, or `undefined` when there is none (the 401 then reaches the client as an error).
   */
  refresh(stale: string): Promise<string | undefined>
}

/** For servers that need no sign-in: no Authorization header, nothing to refresh. */
export class NoAuthTokenSource implements TokenSource {
  async getToken(): Promise<undefined> {
    return undefined
  }
  async refresh(): Promise<undefined> {
    return undefined
  }
}

/**
 * A token given up front (tests, or a token pasted by hand); `refreshed` is what a refresh
 * yields, when anything. Counts refreshes so tests can see them.
 */
export class FixedTokenSource implements TokenSource {
  #token: string | undefined
  readonly #refreshed: string | undefined
  refreshes = 0

  constructor(token: string | undefined, refreshed?: string) {
    this.#token = token
    this.#refreshed = refreshed
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
}
