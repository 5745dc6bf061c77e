import type { DashboardClient, DashboardEvent, DashboardLinkState } from '../../../shared/dashboard-api'
import { createValueStore, type ValueStore } from './value-store'

/**
 * One subscription to the hub's pushed events for the whole page, shared by every store and
 * view (a bridge may open one stream per subscription; the page needs one).
 */
export interface EventFanout {
  /** Calls `listener` with every event from now on; returns how to stop. */
  on(listener: (event: DashboardEvent) => void): () => void
  readonly link: ValueStore<DashboardLinkState>
  start(): void
  stop(): void
}

export function createEventFanout(client: Pick<DashboardClient, 'subscribe'>): EventFanout {
  const listeners = new Set<(event: DashboardEvent) => void>()
  const link = createValueStore<DashboardLinkState>('connecting')
  let unsubscribe: (() => void) | undefined
  return {
    link,
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      if (unsubscribe) return
      unsubscribe = client.subscribe(
        (event) => {
          for (const listener of [...listeners]) {
            try {
              listener(event)
            } catch (error) {
              // One view's bug must not starve the others of events.
              console.error(error)
            }
          }
        },
        (state) => link.set(state),
      )
    },
    stop() {
      unsubscribe?.()
      unsubscribe = undefined
    },
  }
}
