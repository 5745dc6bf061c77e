import { createParser } from 'eventsource-parser'
import type { DashboardEvent, DashboardEvents, DashboardLinkState } from '../../../shared/dashboard-events'
import { dashboardEventsRoute } from '../../../shared/dashboard-http'

export interface HttpDashboardEventsOptions {
  readonly baseUrl?: string
  readonly token?: string
  readonly fetch?: typeof fetch
  /** Wait before the first reconnection (ms, default 500); it doubles up to `maxRetryMs`. */
  readonly retryMs?: number
  readonly maxRetryMs?: number
}

type Listener = { readonly onEvent: (event: DashboardEvent) => void; readonly onLinkState?: (state: DashboardLinkState) => void }

/**
 * The hub's event stream (server-sent events) for a page in a browser. One stream serves every
 * subscriber of the page. It is read with fetch, not EventSource, so that it can carry the access
 * token in a header. When it breaks it reconnects with `Last-Event-ID`, so that the hub sends
 * exactly what was missed (or `resync` when it cannot), and says so through the link state.
 */
export function createHttpDashboardEvents(options: HttpDashboardEventsOptions = {}): DashboardEvents {
  const listeners = new Set<Listener>()
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const firstRetry = options.retryMs ?? 500
  const maxRetry = options.maxRetryMs ?? 5_000
  let lastEventId = ''
  let state: DashboardLinkState = 'connecting'
  let running: AbortController | undefined

  const setState = (next: DashboardLinkState): void => {
    if (next === state) return
    state = next
    for (const listener of listeners) listener.onLinkState?.(next)
  }
  const dispatch = (event: DashboardEvent): void => {
    for (const listener of listeners) {
      try {
        listener.onEvent(event)
      } catch (error) {
        console.error(error)
      }
    }
  }

  async function readOnce(signal: AbortSignal): Promise<void> {
    const response = await fetchFn(`${options.baseUrl ?? ''}${dashboardEventsRoute}`, {
      headers: {
        accept: 'text/event-stream',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      cache: 'no-store',
      signal,
    })
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
    setState('live')
    const parser = createParser({
      onEvent(message) {
        if (message.id !== undefined) lastEventId = message.id
        if (message.event !== undefined && message.event !== 'message') return
        try {
          dispatch(JSON.parse(message.data) as DashboardEvent)
        } catch {
          // not an event of ours: skip it
        }
      },
    })
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      parser.feed(value)
    }
  }

  async function run(controller: AbortController): Promise<void> {
    let wait = firstRetry
    while (!controller.signal.aborted) {
      try {
        await readOnce(controller.signal)
        wait = firstRetry
      } catch {
        // refused, unreachable or cut: try again below
      }
      if (controller.signal.aborted) return
      setState('reconnecting')
      await new Promise((resolve) => setTimeout(resolve, wait))
      wait = Math.min(wait * 2, maxRetry)
    }
  }

  return {
    subscribe(onEvent, onLinkState) {
      const listener: Listener = { onEvent, ...(onLinkState ? { onLinkState } : {}) }
      listeners.add(listener)
      onLinkState?.(state)
      if (!running) {
        running = new AbortController()
        void run(running)
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && running) {
          running.abort()
          running = undefined
          state = 'connecting'
        }
      }
    },
  }
}
