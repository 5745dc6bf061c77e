import type { LogEvent, LogSink } from './log-event'

interface ServerRing {
  readonly events: (LogEvent | undefined)[]
  next: number
  size: number
  bytes: number
}

/** Default memory budget for all rings together: a few servers' worth of full rings with large previews. */
export const defaultRingBudgetBytes = 32 * 1024 * 1024

/**
 * The most recent events of each server, in memory, bounded twice: once a server's ring is full
 * its oldest event goes, and once all rings together pass the byte budget the oldest events of the
 * largest ring go, so one server with huge previews cannot crowd out the rest or the hub's memory.
 * This is what a dashboard shows first when it opens.
 */
export class LogRing implements LogSink {
  readonly capacity: number
  readonly budgetBytes: number
  readonly #rings = new Map<string, ServerRing>()
  #bytes = 0

  constructor(capacity = 1000, options: { budgetBytes?: number } = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer')
    this.capacity = capacity
    this.budgetBytes = options.budgetBytes ?? defaultRingBudgetBytes
    if (!(this.budgetBytes > 0)) throw new RangeError('budgetBytes must be positive')
  }

  write(event: LogEvent): void {
    let ring = this.#rings.get(event.server)
    if (!ring) {
      ring = { events: new Array<LogEvent | undefined>(this.capacity), next: 0, size: 0, bytes: 0 }
      this.#rings.set(event.server, ring)
    }
    if (ring.size === this.capacity) this.#dropOldest(ring)
    const bytes = footprint(event)
    ring.events[ring.next] = event
    ring.next = (ring.next + 1) % this.capacity
    ring.size += 1
    ring.bytes += bytes
    this.#bytes += bytes
    while (this.#bytes > this.budgetBytes) this.#dropOldest(this.#largest())
  }

  /** The server's events, oldest first. */
  events(server: string): LogEvent[] {
    const ring = this.#rings.get(server)
    if (!ring) return []
    const start = this.#oldest(ring)
    const out: LogEvent[] = []
    for (let i = 0; i < ring.size; i += 1) {
      const event = ring.events[(start + i) % this.capacity]
      if (event) out.push(event)
    }
    return out
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

  #oldest(ring: ServerRing): number {
    return (ring.next - ring.size + this.capacity) % this.capacity
  }

  #dropOldest(ring: ServerRing): void {
    const slot = this.#oldest(ring)
    const event = ring.events[slot]
    ring.events[slot] = undefined
    ring.size -= 1
    const bytes = event ? footprint(event) : 0
    ring.bytes -= bytes
    this.#bytes -= bytes
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
  for (const value of Object.values(event)) if (typeof value === 'string') chars += value.length
  return 160 + 2 * chars
}
