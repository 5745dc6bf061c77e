import type { DashboardClient, LogEvent } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import type { EventFanout } from '../state/event-fanout'
import { createValueStore, type ValueStore } from '../state/value-store'
import { LogBuffer, type LogFacets, type LogRow } from './log-buffer'
import type { LogFilter } from './log-filter'

/** What the Live log renders. `rows` is the buffer's own array: read it, never keep it. */
export interface LogSnapshot {
  readonly status: 'idle' | 'loading' | 'ready' | 'error'
  readonly error?: string
  /** Changes whenever anything below does. */
  readonly version: number
  readonly rows: readonly LogRow[]
  /** Rows held in memory, filtered out or not. */
  readonly total: number
  readonly capacity: number
  readonly droppedVisible: number
  readonly prependedVisible: number
  /** The hub holds older events than the oldest loaded. */
  readonly hasOlder: boolean
  readonly loadingOlder: boolean
  readonly filter: LogFilter
  readonly facets: LogFacets
}

export interface LogStore {
  readonly snapshot: ValueStore<LogSnapshot>
  readonly buffer: LogBuffer
  /** Loads and follows the log; later calls do nothing. */
  start(): void
  stop(): void
  setFilter(filter: LogFilter): void
  reload(): Promise<void>
  loadOlder(): Promise<void>
}

export interface LogStoreOptions {
  /** Most rows held in memory (default 100,000); the oldest go first. */
  readonly capacity?: number
  /** Events asked for per page (default 10,000, the hub's most). */
  readonly pageSize?: number
  /** Live rows are shown at most this often, in ms (default 100), so that a burst renders once. */
  readonly flushMs?: number
}

export function createLogStore(client: Pick<DashboardClient, 'queryLogs'>, events: EventFanout, options: LogStoreOptions = {}): LogStore {
  const buffer = new LogBuffer(options.capacity ?? 100_000)
  const pageSize = options.pageSize ?? 10_000
  const flushMs = options.flushMs ?? 100
  let status: LogSnapshot['status'] = 'idle'
  let error: string | undefined
  let hasOlder = false
  // Where the next older page starts: the hub says, as a search of older files may stop short.
  let olderCursor: number | undefined
  let loadingOlder = false
  let version = 0
  let generation = 0
  // Live events that arrive while a page loads wait for it, then go after it (duplicates dropped by seq).
  let waiting: LogEvent[] = []
  let queued: LogEvent[] = []
  let flushTimer: ReturnType<typeof setTimeout> | undefined
  let lastFlush = 0
  let stopEvents: (() => void) | undefined

  const snapshot = createValueStore<LogSnapshot>(describe())

  function describe(): LogSnapshot {
    return {
      status,
      ...(error === undefined ? {} : { error }),
      version: version++,
      rows: buffer.visible,
      total: buffer.size,
      capacity: buffer.capacity,
      droppedVisible: buffer.droppedVisible,
      prependedVisible: buffer.prependedVisible,
      hasOlder,
      loadingOlder,
      filter: buffer.filter,
      facets: buffer.facets(),
    }
  }
  const publish = (): void => snapshot.set(describe())

  function flush(): void {
    flushTimer = undefined
    lastFlush = Date.now()
    const batch = queued
    queued = []
    if (buffer.append(batch) > 0) publish()
  }

  function receive(batch: readonly LogEvent[]): void {
    if (status === 'loading') {
      waiting.push(...batch)
      return
    }
    queued.push(...batch)
    flushTimer ??= setTimeout(flush, Math.max(0, lastFlush + flushMs - Date.now()))
  }

  async function reload(): Promise<void> {
    const mine = ++generation
    status = 'loading'
    error = undefined
    waiting = []
    publish()
    try {
      const page = await client.queryLogs({ limit: pageSize })
      if (mine !== generation) return
      buffer.reset(page.events)
      buffer.append([...queued, ...waiting])
      queued = []
      waiting = []
      hasOlder = page.hasMore
      olderCursor = page.nextBeforeSeq ?? page.events[0]?.seq
      status = 'ready'
    } catch (failure) {
      if (mine !== generation) return
      status = 'error'
      error = describeError(failure)
      buffer.append(waiting)
      waiting = []
    }
    publish()
  }

  return {
    snapshot,
    buffer,
    start() {
      if (stopEvents) return
      stopEvents = events.on((event) => {
        if (event.type === 'logs') receive(event.events)
        else if (event.type === 'resync') void reload()
      })
      void reload()
    },
    stop() {
      stopEvents?.()
      stopEvents = undefined
      clearTimeout(flushTimer)
      flushTimer = undefined
      generation += 1
      status = 'idle'
    },
    setFilter(filter) {
      buffer.setFilter(filter)
      publish()
    },
    reload,
    async loadOlder() {
      const before = olderCursor ?? buffer.oldest()?.event.seq
      if (loadingOlder || !hasOlder || before === undefined) return
      loadingOlder = true
      publish()
      const mine = generation
      try {
        const page = await client.queryLogs({ beforeSeq: before, limit: pageSize })
        if (mine !== generation) return
        buffer.prepend(page.events)
        hasOlder = page.hasMore && buffer.size < buffer.capacity
        olderCursor = page.nextBeforeSeq ?? page.events[0]?.seq
      } catch (failure) {
        error = describeError(failure)
      } finally {
        loadingOlder = false
        publish()
      }
    },
  }
}
