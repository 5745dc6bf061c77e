import type { NotificationCause } from '../../shared/dashboard-events'

export interface NotificationLimiterOptions {
  /** The quiet time after a notification for the same server and cause, in ms; read at each call (a setting). */
  readonly intervalMs: () => number
  readonly now?: () => number
}

/**
 * At most one notification per server per cause every `intervalMs`: a server that fails a hundred
 * times, or a client that strips its config again and again, is worth one notification, not a
 * hundred. Only what was let through starts the quiet time.
 */
export class NotificationLimiter {
  readonly #intervalMs: () => number
  readonly #now: () => number
  /** `cause` + server → when the last notification for it was let through (epoch ms). */
  readonly #last = new Map<string, number>()

  constructor(options: NotificationLimiterOptions) {
    this.#intervalMs = options.intervalMs
    this.#now = options.now ?? Date.now
  }

  /** Whether a notification for `server` (none: the app as a whole) and `cause` may be shown now; if so, it counts as shown. */
  allow(cause: NotificationCause, server: string | undefined): boolean {
    const now = this.#now()
    const interval = Math.max(0, this.#intervalMs())
    // Forget what is past its quiet time, so that the map holds only the few recent keys.
    for (const [key, at] of this.#last) if (now - at >= interval || at > now) this.#last.delete(key)
    const key = `${cause}\u0000${server ?? ''}`
    if (this.#last.has(key)) return false
    this.#last.set(key, now)
    return true
  }
}
