import type { DashboardEvent } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import type { EventFanout } from './event-fanout'
import type { Loadable } from './loadable'
import { createValueStore, type ValueStore } from './value-store'

/**
 * Data the hub can push or be asked for again: loaded at start, replaced by pushed copies, and
 * loaded again after a `resync` or once the link is back after reconnecting (what changed
 * meanwhile may not have been pushed).
 */
export interface ReloadingStore<T> {
  readonly state: ValueStore<Loadable<T>>
  reload(): Promise<void>
  start(): void
  stop(): void
}

export function createReloadingStore<T>(
  fetchData: () => Promise<T>,
  events: EventFanout,
  pushed: (event: DashboardEvent) => T | undefined,
): ReloadingStore<T> {
  const state = createValueStore<Loadable<T>>({ status: 'loading' })
  // A reply that a pushed copy (or a newer reload) overtook must not overwrite it.
  let generation = 0
  let stops: (() => void)[] = []

  async function reload(): Promise<void> {
    const mine = ++generation
    try {
      const data = await fetchData()
      if (mine === generation) state.set({ status: 'ready', data })
    } catch (error) {
      if (mine !== generation) return
      state.set((previous) => {
        const data = previous.status === 'loading' ? undefined : previous.data
        return data === undefined ? { status: 'error', error: describeError(error) } : { status: 'error', error: describeError(error), data }
      })
    }
  }

  return {
    state,
    reload,
    start() {
      if (stops.length > 0) return
      let lastLink = events.link.get()
      stops = [
        events.on((event) => {
          if (event.type === 'resync') {
            void reload()
            return
          }
          const data = pushed(event)
          if (data !== undefined) {
            generation += 1
            state.set({ status: 'ready', data })
          }
        }),
        events.link.subscribe(() => {
          const link = events.link.get()
          if (link === 'live' && lastLink === 'reconnecting') void reload()
          lastLink = link
        }),
      ]
      void reload()
    },
    stop() {
      for (const stop of stops) stop()
      stops = []
    },
  }
}
