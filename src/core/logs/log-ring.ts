import type { LogEvent, LogSink } from './log-event'

interface ServerRing {
  /** Grows up to the capacity, then wraps: the oldest event is at `head`. */
  readonly events: LogEvent[]
  /** What each slot's event counts against the budget (computed once, on write). */
  readonly costs: number[]
  head: number
  size: number
  bytes: number
  /** Whether the ring let events go (full, or over budget) since it was started or cleared. */
  dropped: boolean
}

/** Events kept per server unless told otherwise: a few hours of a busy client's traffic. */
export const defaultRingCapacity = 20_000

/** Default memory budget for all rings together (as estimated by `footprint`, which overstates V8's real use by about 1.6×). */
export const defaultRingBudgetBytes = 48 * 1024 * 1024

/**
 * The most recent events of each server, in memory, bounded twice: once a server's ring is full
 * its oldest event goes, and once all rings together pass the byte budget the oldest events of the
 * largest ring go, so one server with huge previews cannot crowd out the rest or the hub's memory.
 * This is what a dashboard shows first when it opens. Within a server, events stay in the order
 * they were written (which, in the hub's store, is the order of their `seq`).
 */
export class LogRing implements LogSink {
  readonly capacity: number
  readonly budgetBytes: number
  readonly #rings = new Map<string, ServerRing>()
  #bytes = 0

  constructor(capacity = defaultRingCapacity, options: { budgetBytes?: number } = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer')
    this.capacity = capacity
    this.budgetBytes = options.budgetBytes ?? defaultRingBudgetBytes
    if (!(this.budgetBytes > 0)) throw new RangeError('budgetBytes must be positive')
  }

  write(event: LogEvent): void {
    let ring = this.#rings.get(event.server)
    if (!ring) {
      ring = { events: [], costs: [], head: 0, size: 0, bytes: 0, dropped: false }
      this.#rings.set(event.server, ring)
    }
    if (ring.size === this.capacity) this.#dropOldest(ring)
    const cost = footprint(event)
    const slot = (ring.head + ring.size) % this.capacity
    if (slot === ring.events.length) {
      ring.events.push(event)
      ring.costs.push(cost)
    } else {
      ring.events[slot] = event
      ring.costs[slot] = cost
    }
    ring.size += 1
    ring.bytes += cost
    this.#bytes += cost
    while (this.#bytes > this.budgetBytes) this.#dropOldest(this.#largest())
  }

  /** The server's events, oldest first. */
  events(server: string): LogEvent[] {
    const ring = this.#rings.get(server)
    if (!ring) return []
    const out = new Array<LogEvent>(ring.size)
    for (let i = 0; i < ring.size; i += 1) out[i] = ring.events[(ring.head + i) % this.capacity]!
    return out
  }

  /** How many events the server's ring holds. */
  size(server: string): number {
    return this.#rings.get(server)?.size ?? 0
  }

  /** The server's oldest kept event, and whether older ones were let go. */
  oldest(server: string): { event: LogEvent | undefined; dropped: boolean } {
    const ring = this.#rings.get(server)
    if (!ring || ring.size === 0) return { event: undefined, dropped: ring?.dropped ?? false }
    return { event: ring.events[ring.head], dropped: ring.dropped }
  }

  /**
   * Visits the server's events newest first, starting below `beforeSeq` when given (found by
   * bisection: the ring is in `seq` order), until `visit` returns false.
   */
  visitNewestFirst(server: string, beforeSeq: number | undefined, visit: (event: LogEvent) => boolean): void {
    const ring = this.#rings.get(server)
    if (!ring || ring.size === 0) return
    const at = (i: number): LogEvent => ring.events[(ring.head + i) % this.capacity]!
    let end = ring.size
    if (beforeSeq !== undefined) {
      // The first index whose seq is not below beforeSeq.
      let low = 0
      let high = ring.size
      while (low < high) {
        const middle = (low + high) >>> 1
        if ((at(middle).seq ?? -Infinity) < beforeSeq) low = middle + 1
        else high = middle
      }
      end = low
    }
    for (let i = end - 1; i >= 0; i -= 1) if (!visit(at(i))) return
  }

  servers(): string[] {
    return [...this.#rings.keys()]
  }

  /** What the kept events take, as estimated against the budget. */
  bytes(): number {
    return this.#bytes
  }

  clear(server?: string): void {
    if (server === undefined) {
      this.#rings.clear()
      this.#bytes = 0
      return
    }
    this.#bytes -= this.#rings.get(server)?.bytes ?? 0
    this.#rings.delete(server)
  }

  #dropOldest(ring: ServerRing): void {
    if (ring.size === 0) return
    const slot = ring.head
    const cost = ring.costs[slot]!
    ring.events[slot] = undefined as unknown as LogEvent
    ring.head = (ring.head + 1) % this.capacity
    ring.size -= 1
    ring.bytes -= cost
    ring.dropped = true
    this.#bytes -= cost
    if (ring.size === 0) ring.head = 0
  }

  #largest(): ServerRing {
    let largest: ServerRing | undefined
    for (const ring of this.#rings.values()) if (!largest || ring.bytes > largest.bytes) largest = ring
    return largest!
  }
}

/** An estimate of an event's memory: its strings (UTF-16) plus the object and its numbers. */
function footprint(event: LogEvent): number {
  let chars = 0
  for (const key in event) {
    const value = (event as unknown as Record<string, unknown>)[key]
    if (typeof value === 'string') chars += value.length
  }
  return 160 + 2 * chars
}
