import type { LogEvent } from './log-event'
import { RotatingFileSink, type RotatingFileSinkOptions } from './log-files'
import { LogRing } from './log-ring'

export interface LogStoreOptions extends RotatingFileSinkOptions {
  /** Events kept in memory per server (default 1000). */
  readonly ringCapacity?: number
}

/**
 * The hub's log store: the one writer of the JSONL files while the hub runs, a bounded ring per
 * server for dashboards that open later, and listeners for those watching live.
 */
export class LogStore {
  readonly #ring: LogRing
  readonly #files: RotatingFileSink
  readonly #listeners = new Set<(events: readonly LogEvent[]) => void>()

  constructor(options: LogStoreOptions) {
    this.#ring = new LogRing(options.ringCapacity ?? 1000)
    this.#files = new RotatingFileSink(options)
  }

  append(events: readonly LogEvent[]): void {
    if (events.length === 0) return
    for (const event of events) this.#ring.write(event)
    this.#files.writeBatch(events)
    for (const listener of this.#listeners) {
      try {
        listener(events)
      } catch {
        // a listener's failure must not cost the others their events
      }
    }
  }

  /** The last `limit` events of one server, or of all merged by time; oldest first. */
  recent(server: string | undefined, limit: number): LogEvent[] {
    if (limit <= 0) return []
    if (server !== undefined) return this.#ring.events(server).slice(-limit)
    const all = this.#ring.servers().flatMap((name) => this.#ring.events(name).slice(-limit))
    all.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
    return all.slice(-limit)
  }

  /** Calls `listener` with every appended batch; returns how to stop. */
  onAppend(listener: (events: readonly LogEvent[]) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async close(): Promise<void> {
    this.#listeners.clear()
    await this.#files.close()
  }
}
