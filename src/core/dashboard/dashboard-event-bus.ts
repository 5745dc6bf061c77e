import { randomBytes } from 'node:crypto'
import type { DashboardEvent } from '../../shared/dashboard-events'

/** One event as the stream carries it: its id lets a page that lost the stream resume after it. */
export interface NumberedEvent {
  readonly id: string
  readonly event: DashboardEvent
  /** The event as JSON, made once for every page and the replay budget. */
  readonly json: string
}

export interface DashboardEventBusOptions {
  /** Events kept for pages that reconnect (default 5000)… */
  readonly replayEvents?: number
  /** …and at most this many bytes of them, as JSON (default 16 MiB). */
  readonly replayBytes?: number
}

/**
 * Every event the hub pushes to dashboards, numbered and kept for a while, so that a page whose
 * stream broke (a laptop asleep, a hub busy for a moment) resumes without losing or repeating a
 * row. Ids are `<run>.<n>`: a page coming back to a hub that restarted (another run) or after
 * more than the kept events learns it must load everything again (`since` gives `undefined`).
 */
export class DashboardEventBus {
  readonly #run = randomBytes(6).toString('base64url')
  readonly #replayEvents: number
  readonly #replayBytes: number
  readonly #kept: { readonly numbered: NumberedEvent; readonly bytes: number }[] = []
  readonly #listeners = new Set<(numbered: NumberedEvent) => void>()
  #keptBytes = 0
  #next = 1
  /** The number of the oldest event kept; an id before it is too old to resume from. */
  #oldest = 1

  constructor(options: DashboardEventBusOptions = {}) {
    this.#replayEvents = options.replayEvents ?? 5000
    this.#replayBytes = options.replayBytes ?? 16 * 1024 * 1024
  }

  /** Numbers the event and tells every listener; `json` is the event as JSON when the caller has it already. */
  publish(event: DashboardEvent, json: string = JSON.stringify(event)): void {
    const numbered = { id: `${this.#run}.${this.#next}`, event, json }
    this.#next += 1
    const bytes = json.length
    this.#kept.push({ numbered, bytes })
    this.#keptBytes += bytes
    while (this.#kept.length > this.#replayEvents || (this.#keptBytes > this.#replayBytes && this.#kept.length > 1)) {
      this.#keptBytes -= this.#kept.shift()?.bytes ?? 0
      this.#oldest += 1
    }
    for (const listener of this.#listeners) {
      try {
        listener(numbered)
      } catch {
        // one page's failure must not cost the others their events
      }
    }
  }

  /** The id the next event will follow: a page that starts listening now resumes from here. */
  lastId(): string {
    return `${this.#run}.${this.#next - 1}`
  }

  /**
   * The events after `lastId`, or `undefined` when they cannot be told: an id of another run, a
   * malformed one, or one older than what is kept.
   */
  since(lastId: string): NumberedEvent[] | undefined {
    const match = /^([A-Za-z0-9_-]+)\.(\d{1,15})$/.exec(lastId)
    if (!match || match[1] !== this.#run) return undefined
    const seen = Number(match[2])
    if (seen >= this.#next) return undefined
    if (seen + 1 < this.#oldest) return undefined
    return this.#kept.slice(seen + 1 - this.#oldest).map((kept) => kept.numbered)
  }

  /** Calls `listener` with every event published from now on; returns how to stop. */
  onEvent(listener: (numbered: NumberedEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  close(): void {
    this.#listeners.clear()
  }
}
