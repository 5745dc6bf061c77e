import type { LogPage, LogQuery } from '../../shared/log-model'
import type { LogEvent } from './log-event'
import { searchLogFiles } from './log-file-search'
import { lastLoggedSeq, logFilesByStem } from './log-lines'
import { LogSeqIndex } from './log-seq-index'
import { logFileStem, RotatingFileSink, type RotatingFileSinkOptions } from './log-files'
import { compileLogQuery, type CompiledLogQuery } from './log-query'
import { exportLogLines, type LogExportLimits } from './log-export'
import { defaultRingCapacity, LogRing } from './log-ring'

export type AppendListener = (events: readonly LogEvent[], json: () => string) => void

export interface LogStoreOptions extends RotatingFileSinkOptions {
  /** Events kept in memory per server (default `defaultRingCapacity`). */
  readonly ringCapacity?: number
  /** Memory budget of all servers' rings together (default `defaultRingBudgetBytes`). */
  readonly ringBudgetBytes?: number
  /** Bounds on reading older pages back from the files. */
  readonly fileSearch?: { readonly maxBytes?: number; readonly maxMs?: number }
}

/**
 * The hub's log store: the one writer of the JSONL files while the hub runs, a bounded ring per
 * server for dashboards that open later, and listeners for those watching live. Every event it
 * keeps gets a `seq`, increasing across hub runs (it continues from the files), which orders
 * the log and lets a page ask for what came before: from the rings while they reach back, from
 * the files beyond.
 */
export class LogStore {
  readonly #ring: LogRing
  readonly #files: RotatingFileSink
  readonly #dir: string
  readonly #fileSearch: LogStoreOptions['fileSearch']
  readonly #index = new LogSeqIndex()
  readonly #listeners = new Set<AppendListener>()
  /** The first seq of this run: every event in the files from before it sorts below. */
  readonly #firstSeq: number
  /** Servers (as file stems) with logs from before this run. */
  readonly #history: ReadonlySet<string>
  #nextSeq: number

  constructor(options: LogStoreOptions) {
    this.#ring = new LogRing(options.ringCapacity ?? defaultRingCapacity, options.ringBudgetBytes === undefined ? {} : { budgetBytes: options.ringBudgetBytes })
    this.#files = new RotatingFileSink(options)
    this.#dir = options.dir
    this.#fileSearch = options.fileSearch
    const files = logFilesByStem(options.dir)
    this.#history = new Set(files.keys())
    this.#firstSeq = lastLoggedSeq(options.dir, files) + 1
    this.#nextSeq = this.#firstSeq
  }

  /** Numbers the events, keeps them (ring and files) and tells the listeners; returns them as kept. */
  append(events: readonly LogEvent[]): readonly LogEvent[] {
    if (events.length === 0) return events
    const kept = new Array<LogEvent>(events.length)
    // Serialized once: the files and whoever forwards the batch as JSON share the text.
    const lines = new Array<string>(events.length)
    for (let i = 0; i < events.length; i += 1) {
      const event = { seq: this.#nextSeq++, ...events[i]! }
      kept[i] = event
      lines[i] = JSON.stringify(event)
      this.#ring.write(event)
    }
    this.#files.writeBatch(kept, lines)
    let json: string | undefined
    const asJson = (): string => (json ??= `[${lines.join(',')}]`)
    for (const listener of this.#listeners) {
      try {
        listener(kept, asJson)
      } catch {
        // a listener's failure must not cost the others their events
      }
    }
    return kept
  }

  /** The last `limit` events of one server, or of all merged in order; oldest first. From memory only. */
  recent(server: string | undefined, limit: number): LogEvent[] {
    if (limit <= 0) return []
    const found: LogEvent[] = []
    for (const name of server === undefined ? this.#ring.servers() : [server]) {
      let count = 0
      this.#ring.visitNewestFirst(name, undefined, (event) => {
        found.push(event)
        return (count += 1) < limit
      })
    }
    found.sort(bySeq)
    return found.length > limit ? found.slice(-limit) : found
  }

  /**
   * The newest events that match, oldest first: from the rings while they hold everything at
   * and above the page, and from the files below that. `hasMore` is true when older matches may
   * exist; `nextBeforeSeq` says where the next page starts (also when a file search stopped at its
   * bounds before it found a whole page).
   */
  async query(query: LogQuery): Promise<LogPage> {
    const compiled = compileLogQuery(query)
    const below = compiled.beforeSeq ?? Infinity
    const floor = this.#completeFrom(compiled.server)
    const fromRing = this.#fromRing(compiled, below, floor)
    if (fromRing.length > compiled.limit) return page(fromRing.slice(0, compiled.limit), true)
    if (floor === -Infinity) return page(fromRing, false)
    const older = await searchLogFiles({
      dir: this.#dir,
      ...(compiled.server === undefined ? {} : { stems: [logFileStem(compiled.server)] }),
      below: Math.min(below, floor),
      anchor: this.#firstSeq,
      matches: compiled.matches,
      limit: compiled.limit - fromRing.length,
      text: compiled.text,
      since: compiled.since,
      until: compiled.until,
      index: this.#index,
      ...this.#fileSearch,
    })
    return page([...fromRing, ...older.events], older.more, older.resumeBelow)
  }

  /**
   * The matching events as redacted JSONL, oldest first, bounded in size: when the limits cut it,
   * its last line says so.
   */
  async exportJsonl(query: LogQuery, limits?: LogExportLimits): Promise<string> {
    return exportLogLines((page) => this.query(page), query, limits)
  }

  /**
   * Visits the events of earlier runs in the files, newest first, back to `sinceMs` ago (bounded:
   * 64 MiB read, 20 s): how the diagnostics count what happened before the hub (re)started.
   */
  async replayEarlier(visit: (event: LogEvent) => void, options: { sinceMs: number; signal?: AbortSignal }): Promise<void> {
    if (this.#history.size === 0) return
    const since = new Date(Date.now() - options.sinceMs).toISOString()
    await searchLogFiles({
      dir: this.#dir,
      below: this.#firstSeq,
      anchor: this.#firstSeq,
      since,
      limit: 0,
      maxBytes: 64 * 1024 * 1024,
      maxMs: 20_000,
      matches: (event) => {
        if (event.time >= since) visit(event)
        return false
      },
      ...(options.signal ? { signal: options.signal } : {}),
    })
  }

  /**
   * Calls `listener` with every appended batch (as kept, with `seq`), and a way to have the batch
   * as a JSON array without serializing it again (`JSON.stringify(events)`, made once for all
   * listeners from the lines the files got); returns how to stop.
   */
  onAppend(listener: AppendListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async close(): Promise<void> {
    this.#listeners.clear()
    await this.#files.close()
  }

  /**
   * The lowest seq from which the rings hold every event of the server (or of all servers):
   * -Infinity when they hold all there is, Infinity when only the files can answer.
   */
  #completeFrom(server: string | undefined): number {
    const floorOf = (name: string): number => {
      const { event, dropped } = this.#ring.oldest(name)
      const older = dropped || this.#history.has(logFileStem(name))
      if (!older) return -Infinity
      return event?.seq ?? Infinity
    }
    if (server !== undefined) return floorOf(server)
    let floor = -Infinity
    const ringed = new Set<string>()
    for (const name of this.#ring.servers()) {
      floor = Math.max(floor, floorOf(name))
      ringed.add(logFileStem(name))
    }
    // Servers with files but nothing this run: their events are all older than this run's.
    for (const stem of this.#history) if (!ringed.has(stem)) floor = Math.max(floor, this.#firstSeq)
    return floor
  }

  /** Matches in the rings at or above `floor` and below `below`, newest first, at most limit + 1. */
  #fromRing(query: CompiledLogQuery, below: number, floor: number): LogEvent[] {
    const wanted = query.limit + 1
    const servers = query.server === undefined ? this.#ring.servers() : [query.server]
    let found: LogEvent[] = []
    // Once `wanted` newer matches are in hand, nothing older than the last of them can make the page.
    let lowest = floor
    for (const name of servers) {
      let count = 0
      this.#ring.visitNewestFirst(name, below, (event) => {
        if ((event.seq ?? 0) < lowest) return false
        if (query.matches(event)) {
          found.push(event)
          count += 1
        }
        return count < wanted
      })
      if (servers.length > 1 && found.length >= 2 * wanted) {
        found = found.sort(newestFirst).slice(0, wanted)
        lowest = Math.max(lowest, found[wanted - 1]!.seq ?? 0)
      }
    }
    if (servers.length > 1) found.sort(newestFirst)
    return found.length > wanted ? found.slice(0, wanted) : found
  }
}

/** A page from matches found newest first. */
function page(newestFirst: readonly LogEvent[], hasMore: boolean, resumeBelow?: number): LogPage {
  const events = [...newestFirst].reverse()
  const oldest = events[0]?.seq
  const next = resumeBelow !== undefined ? Math.min(resumeBelow, oldest ?? Infinity) : oldest
  return { events, hasMore, ...(hasMore && next !== undefined && next !== Infinity ? { nextBeforeSeq: next } : {}) }
}

function newestFirst(a: LogEvent, b: LogEvent): number {
  return (b.seq ?? 0) - (a.seq ?? 0)
}

function bySeq(a: LogEvent, b: LogEvent): number {
  return (a.seq ?? 0) - (b.seq ?? 0)
}
