import type { IncomingMessage, ServerResponse } from 'node:http'
import { createSession, type Session } from 'better-sse'
import type { DashboardEvent } from '../../shared/dashboard-events'
import type { DashboardEventBus, NumberedEvent } from './dashboard-event-bus'

export interface EventStreamLimits {
  /** Pages streaming at once; the oldest stream is closed for a new one (default 16). */
  readonly maxStreams: number
  /** Bytes waiting for one slow page before its stream is closed; it reconnects and resumes (default 32 MiB). */
  readonly maxBufferedBytes: number
  /** A comment line this often keeps proxies and sleeping laptops from dropping a quiet stream (ms). */
  readonly keepAliveMs: number
}

export const defaultEventStreamLimits: EventStreamLimits = { maxStreams: 16, maxBufferedBytes: 32 * 1024 * 1024, keepAliveMs: 15_000 }

/**
 * The dashboard's one event stream (server-sent events, with better-sse). Each event carries the
 * bus's id; a page reconnecting with `Last-Event-ID` gets what it missed, or a `resync` event when
 * that cannot be told (then it loads everything again), so that no row is lost or shown twice.
 */
export class DashboardEventStreams {
  readonly #bus: DashboardEventBus
  readonly #limits: EventStreamLimits
  readonly #open = new Map<Session, ServerResponse>()
  readonly #stop: () => void

  constructor(bus: DashboardEventBus, limits: Partial<EventStreamLimits> = {}) {
    this.#bus = bus
    this.#limits = { ...defaultEventStreamLimits, ...limits }
    this.#stop = bus.onEvent((numbered) => {
      for (const [session, res] of this.#open) this.#push(session, res, numbered)
    })
  }

  /** How many pages are streaming now (a quiet hub with none may stop). */
  count(): number {
    return this.#open.size
  }

  async open(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Replay and subscription happen in one turn, so that no event falls between them.
    // Events arrive as JSON already (made once for every page), which has no raw line breaks for
    // the sanitizer to fold: sent as they are.
    const session = await createSession(req, res, {
      keepAlive: this.#limits.keepAliveMs,
      retry: 1000,
      headers: { 'x-content-type-options': 'nosniff' },
      serializer: (data) => (typeof data === 'string' ? data : JSON.stringify(data)),
      sanitizer: (text) => text,
    })
    const missed = session.lastId === '' ? [] : this.#bus.since(session.lastId)
    if (missed === undefined) {
      session.push({ type: 'resync' } satisfies DashboardEvent, 'message', this.#bus.lastId())
    } else {
      for (const numbered of missed) this.#push(session, res, numbered)
      // A first connection starts from now; its id tells where a later reconnection resumes.
      if (session.lastId === '') session.push({ type: 'hello' }, 'hello', this.#bus.lastId())
    }
    this.#open.set(session, res)
    if (this.#open.size > this.#limits.maxStreams) {
      const [oldest] = this.#open
      if (oldest) this.#close(oldest[0], oldest[1])
    }
    res.once('close', () => this.#open.delete(session))
  }

  close(): void {
    this.#stop()
    for (const [session, res] of this.#open) this.#close(session, res)
  }

  #push(session: Session, res: ServerResponse, numbered: NumberedEvent): void {
    if (res.writableLength > this.#limits.maxBufferedBytes) {
      this.#close(session, res)
      return
    }
    session.push(numbered.json, 'message', numbered.id)
  }

  #close(session: Session, res: ServerResponse): void {
    this.#open.delete(session)
    res.destroy()
  }
}
