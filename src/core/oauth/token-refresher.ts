import { TrayError } from '../../shared/tray-error'

/** The time source, so that an hour of token lifetimes can be tested in milliseconds. */
export interface Clock {
  now(): number
}
export const systemClock: Clock = { now: () => Date.now() }

export interface TokenRequestBudget {
  /** At most this many token requests per server in any 60 seconds (default 6). */
  readonly perMinute: number
}

/**
 * One refresh at a time per server (RFC 6749 §6 with rotation, RFC 9700 §4.14.2: two parallel
 * refreshes with one rotating token would burn it): callers holding the same stale token share
 * one request. A small budget of token requests per server and minute stops refresh storms.
 */
export class TokenRefresher {
  readonly #running = new Map<string, Promise<unknown>>()
  readonly #history = new Map<string, number[]>()
  readonly #clock: Clock
  readonly #budget: TokenRequestBudget

  constructor(options: { clock?: Clock; budget?: TokenRequestBudget } = {}) {
    this.#clock = options.clock ?? systemClock
    this.#budget = options.budget ?? { perMinute: 6 }
  }

  /** Runs `operation` once per (server, stale token); later callers get the same promise. */
  refresh<T>(server: string, staleToken: string, operation: () => Promise<T>): Promise<T> {
    const key = `${server}\u0000${staleToken}`
    const running = this.#running.get(key)
    if (running) return running as Promise<T>
    const started = (async () => {
      this.spend(server)
      return operation()
    })().finally(() => this.#running.delete(key))
    this.#running.set(key, started)
    return started
  }

  /** Counts one token request against the server's budget, or refuses when it is spent. */
  spend(server: string): void {
    const now = this.#clock.now()
    const recent = (this.#history.get(server) ?? []).filter((at) => now - at < 60_000)
    if (recent.length >= this.#budget.perMinute) {
      throw new TrayError('token_rate_limited', `Too many token requests for ${server} in the last minute.`, {
        hint: 'MCP Tray pauses to avoid a refresh loop; it will try again shortly.',
      })
    }
    recent.push(now)
    this.#history.set(server, recent)
  }
}
