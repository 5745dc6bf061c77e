import { randomUUID } from 'node:crypto'
import type { AppNotification, NotificationAction, NotificationCause } from '../../shared/dashboard-events'
import { safeText } from '../../shared/safe-text'
import { NotificationLimiter } from './notification-limiter'
import type { Notifier } from './notifier'

/** A notification as a trigger words it; the center gives it its id and time. */
export interface NotificationDraft {
  readonly cause: NotificationCause
  readonly server?: string
  readonly title: string
  readonly body: string
  readonly action?: NotificationAction
}

export interface NotificationCenterOptions {
  /** The quiet time per server and cause, in ms, read at each notification (default five minutes). */
  readonly intervalMs?: () => number
  readonly now?: () => number
  readonly newId?: () => string
}

export const defaultNotificationIntervalMs = 5 * 60_000
const maxTitleChars = 120
const maxBodyChars = 400

/**
 * The hub's notifications, one place for every surface: triggers raise drafts, the rate limit
 * drops repeats, and every listener (the app's `Notification`, the dashboard's event stream, the
 * terminal of `mcp-tray serve`) gets what is left, once.
 */
export class NotificationCenter {
  readonly #limiter: NotificationLimiter
  readonly #now: () => number
  readonly #newId: () => string
  readonly #listeners = new Set<(notification: AppNotification) => void>()

  constructor(options: NotificationCenterOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#limiter = new NotificationLimiter({ intervalMs: options.intervalMs ?? (() => defaultNotificationIntervalMs), now: this.#now })
    this.#newId = options.newId ?? randomUUID
  }

  /** Tells every listener, unless the same server and cause was notified within the quiet time; returns what was told. */
  raise(draft: NotificationDraft): AppNotification | undefined {
    if (!this.#limiter.allow(draft.cause, draft.server)) return undefined
    // Titles and bodies carry server names and their error text: shown on a desktop or a terminal, never as markup.
    const notification: AppNotification = {
      id: this.#newId(),
      cause: draft.cause,
      ...(draft.server === undefined ? {} : { server: draft.server }),
      title: clip(safeText(draft.title, { singleLine: true }), maxTitleChars),
      body: clip(safeText(draft.body, { singleLine: true }), maxBodyChars),
      ...(draft.action === undefined ? {} : { action: draft.action }),
      time: new Date(this.#now()).toISOString(),
    }
    for (const listener of this.#listeners) {
      try {
        listener(notification)
      } catch {
        // one surface's failure must not keep the others from telling the person
      }
    }
    return notification
  }

  /** Calls `listener` with every notification from now on; returns how to stop. */
  onNotification(listener: (notification: AppNotification) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Shows every notification from now on through `notifier`; returns how to stop. */
  attach(notifier: Notifier): () => void {
    return this.onNotification((notification) => notifier.notify(notification))
  }

  close(): void {
    this.#listeners.clear()
  }
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
