import type { LogEvent, LogSink } from './log-event'

/**
 * The most recent events of each server, in memory, bounded: once a server's ring is full the
 * oldest event goes. This is what a dashboard shows first when it opens.
 */
export class LogRing implements LogSink {
  readonly capacity: number
  readonly #rings = new Map<string, { events: (LogEvent | undefined)[]; next: number; size: number }>()

  constructor(capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer')
    this.capacity = capacity
  }

  write(event: LogEvent): void {
    let ring = this.#rings.get(event.server)
    if (!ring) {
      ring = { events: new Array<LogEvent | undefined>(this.capacity), next: 0, size: 0 }
      this.#rings.set(event.server, ring)
    }
    ring.events[ring.next] = event
    ring.next = (ring.next + 1) % this.capacity
    ring.size = Math.min(ring.size + 1, this.capacity)
  }

  /** The server's events, oldest first. */
  events(server: string): LogEvent[] {
    const ring = this.#rings.get(server)
    if (!ring) return []
    const start = (ring.next - ring.size + this.capacity) % this.capacity
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

  clear(server?: string): void {
    if (server === undefined) this.#rings.clear()
    else this.#rings.delete(server)
  }
}
