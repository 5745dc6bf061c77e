import type { AppNotification } from '../../../shared/dashboard-api'
import type { EventFanout } from './event-fanout'
import { createValueStore, type ValueStore } from './value-store'

/** The hub's notifications, shown as toasts until dismissed (a few at most, newest last). */
export interface NotificationsStore {
  readonly list: ValueStore<readonly AppNotification[]>
  dismiss(id: string): void
  start(): void
  stop(): void
}

export function createNotificationsStore(events: EventFanout, options: { max?: number; lingerMs?: number } = {}): NotificationsStore {
  const max = options.max ?? 4
  const lingerMs = options.lingerMs ?? 20_000
  const list = createValueStore<readonly AppNotification[]>([])
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  let stopEvents: (() => void) | undefined

  function dismiss(id: string): void {
    clearTimeout(timers.get(id))
    timers.delete(id)
    list.set((current) => current.filter((notification) => notification.id !== id))
  }

  return {
    list,
    dismiss,
    start() {
      stopEvents ??= events.on((event) => {
        // A sign-in that ended makes its "waiting" and "needed" toasts untrue.
        if (event.type === 'sign-in' && event.signIn.state !== 'waiting') {
          for (const shown of list.get()) if (shown.server === event.signIn.server && (shown.cause === 'sign-in-waiting' || shown.cause === 'sign-in-needed')) dismiss(shown.id)
          return
        }
        if (event.type !== 'notification') return
        const { notification } = event
        list.set((current) => [...current.filter((shown) => shown.id !== notification.id), notification].slice(-max))
        clearTimeout(timers.get(notification.id))
        timers.set(notification.id, setTimeout(() => dismiss(notification.id), lingerMs))
      })
    },
    stop() {
      stopEvents?.()
      stopEvents = undefined
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
  }
}
