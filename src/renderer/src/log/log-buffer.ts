import type { LogEvent } from '../../../shared/log-model'
import { matchesLogFilter, type LogFilter } from './log-filter'
import { partnerIndex } from './log-pairing'

/** One event as the Live log holds it; `n` orders rows and names them across trims and filters. */
export interface LogRow {
  readonly n: number
  readonly event: LogEvent
}

/** The values seen so far for the filter bar's choices. */
export interface LogFacets {
  readonly servers: readonly string[]
  readonly methods: readonly string[]
  readonly tools: readonly string[]
}

/**
 * The Live log's rows in memory: at most `capacity` (the oldest dropped first), each hub event
 * once (by `seq`, since a reconnecting stream and a reload may both carry it), and the rows the
 * filter lets through, kept up to date as rows arrive instead of filtering 100,000 rows again.
 */
export class LogBuffer {
  readonly capacity: number
  #rows: LogRow[] = []
  #seqs = new Set<number>()
  #nextN = 0
  #firstN = 0
  #filter: LogFilter = {}
  #visible: LogRow[] = []
  #droppedVisible = 0
  #prependedVisible = 0
  #facetSets = { servers: new Set<string>(), methods: new Set<string>(), tools: new Set<string>() }
  #facets: LogFacets | undefined

  constructor(capacity: number) {
    this.capacity = capacity
  }

  /** The filtered rows, oldest first. The array changes in place as rows come and go. */
  get visible(): readonly LogRow[] {
    return this.#visible
  }

  get size(): number {
    return this.#rows.length
  }

  get filter(): LogFilter {
    return this.#filter
  }

  /** Visible rows dropped from the front so far (a paused view scrolls back by as many). */
  get droppedVisible(): number {
    return this.#droppedVisible
  }

  /** Visible rows added at the front so far (older pages; a view keeps its place by as many). */
  get prependedVisible(): number {
    return this.#prependedVisible
  }

  /** Adds newer events at the end; returns how many were new. */
  append(events: readonly LogEvent[]): number {
    let added = 0
    for (const event of events) {
      if (!this.#claim(event)) continue
      const row = { n: this.#nextN++, event }
      this.#rows.push(row)
      if (matchesLogFilter(event, this.#filter)) this.#visible.push(row)
      added += 1
    }
    this.#trim()
    return added
  }

  /** Adds older events at the front (a page loaded backwards), as far as the capacity allows. */
  prepend(events: readonly LogEvent[]): number {
    const room = this.capacity - this.#rows.length
    if (room <= 0) return 0
    const unseen = events.filter((event) => event.seq === undefined || !this.#seqs.has(event.seq))
    const fresh = unseen.slice(-room).filter((event) => this.#claim(event))
    const rows = fresh.map((event, i) => ({ n: this.#firstN - fresh.length + i, event }))
    this.#firstN -= fresh.length
    const shown = rows.filter((row) => matchesLogFilter(row.event, this.#filter))
    this.#rows.unshift(...rows)
    this.#visible.unshift(...shown)
    this.#prependedVisible += shown.length
    return rows.length
  }

  /** Forgets everything (a resync), then holds `events`. */
  reset(events: readonly LogEvent[]): void {
    this.#rows = []
    this.#visible = []
    this.#seqs.clear()
    for (const set of Object.values(this.#facetSets)) set.clear()
    this.#facets = undefined
    this.#droppedVisible = 0
    this.#prependedVisible = 0
    this.append(events)
  }

  setFilter(filter: LogFilter): void {
    this.#filter = filter
    this.#visible = this.#rows.filter((row) => matchesLogFilter(row.event, filter))
    this.#droppedVisible = 0
    this.#prependedVisible = 0
  }

  facets(): LogFacets {
    this.#facets ??= {
      servers: [...this.#facetSets.servers].sort(),
      methods: [...this.#facetSets.methods].sort(),
      tools: [...this.#facetSets.tools].sort(),
    }
    return this.#facets
  }

  /** Where the row numbered `n` is among the visible rows, or -1. */
  visibleIndexOf(n: number): number {
    return indexOfRow(this.#visible, n)
  }

  /** The oldest row held, filtered out or not. */
  oldest(): LogRow | undefined {
    return this.#rows[0]
  }

  row(n: number): LogRow | undefined {
    const index = indexOfRow(this.#rows, n)
    return index < 0 ? undefined : this.#rows[index]
  }

  /** The other half of the row's request/answer exchange, filtered out or not. */
  partner(n: number): LogRow | undefined {
    const index = indexOfRow(this.#rows, n)
    if (index < 0) return undefined
    const found = partnerIndex(this.#rows, index, (row) => row.event)
    return found < 0 ? undefined : this.#rows[found]
  }

  #claim(event: LogEvent): boolean {
    if (event.seq !== undefined) {
      if (this.#seqs.has(event.seq)) return false
      this.#seqs.add(event.seq)
    }
    this.#noteFacets(event)
    return true
  }

  #noteFacets(event: LogEvent): void {
    const sets = this.#facetSets
    const before = sets.servers.size + sets.methods.size + sets.tools.size
    sets.servers.add(event.server)
    if (event.method) sets.methods.add(event.method)
    if (event.tool) sets.tools.add(event.tool)
    if (sets.servers.size + sets.methods.size + sets.tools.size !== before) this.#facets = undefined
  }

  #trim(): void {
    const excess = this.#rows.length - this.capacity
    if (excess <= 0) return
    const removed = this.#rows.splice(0, excess)
    for (const row of removed) if (row.event.seq !== undefined) this.#seqs.delete(row.event.seq)
    const firstKept = this.#rows[0]?.n ?? this.#nextN
    let drop = 0
    while (drop < this.#visible.length && this.#visible[drop]!.n < firstKept) drop += 1
    if (drop > 0) {
      this.#visible.splice(0, drop)
      this.#droppedVisible += drop
    }
  }
}

/** Where the row numbered `n` is in rows ordered by `n`, or -1. */
export function indexOfRow(rows: readonly LogRow[], n: number): number {
  let low = 0
  let high = rows.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const at = rows[middle]!.n
    if (at === n) return middle
    if (at < n) low = middle + 1
    else high = middle - 1
  }
  return -1
}
