import { hubAddressFor } from '../hub/hub-address'
import { connectToHub, type HubConnection } from '../hub/hub-client'
import { logBatchLimits, type LogBatch } from '../logs/log-batch'
import type { LogEvent, LogSink } from '../logs/log-event'
import { logsDir, RotatingFileSink } from '../logs/log-files'
import { atMost } from './at-most'

export interface HubLogSinkOptions {
  readonly server: string
  /** Connects to a hub that is already running, or fails fast. Never starts one. */
  readonly connect: () => Promise<HubConnection>
  /** Where events go while no hub answers: the proxy's own files. Made on first use. */
  readonly fallback: () => LogSink
  /** Send a batch at least this often (default 250 ms)… */
  readonly flushMs?: number
  /** …or as soon as this many events wait (default 200). */
  readonly batchEvents?: number
  /** Events held while a batch is on its way; more are dropped and counted (default 2000). */
  readonly maxBuffered?: number
  /**
   * How often to look for the hub while none answers (default 5 s). The first looks come sooner
   * (1 s, 2 s, 4 s): a hub usually appears just after a proxy starts, started by its first 401.
   */
  readonly retryMs?: number
  /** Bound on one batch's round trip before the hub counts as gone (default 2 s). */
  readonly callTimeoutMs?: number
  /** Bound on `close()`: what the hub has not taken by then goes to the files (default 400 ms). */
  readonly closeMs?: number
}

type State = 'connecting' | 'connected' | 'offline' | 'closed'

/**
 * A proxy's log sink: events go to the hub in batches, so that one process, the hub, writes the
 * files of a server however many proxies relay for it. When no hub answers the proxy writes its
 * own files, as it did before there was a hub, and looks for the hub again every few seconds; it
 * never starts one for logs. Writing never throws and never waits.
 */
export class HubLogSink implements LogSink {
  readonly #options: HubLogSinkOptions
  readonly #flushMs: number
  readonly #batchEvents: number
  readonly #maxBuffered: number
  readonly #retryMs: number
  readonly #callTimeoutMs: number
  readonly #closeMs: number
  #state: State = 'connecting'
  #connection: HubConnection | undefined
  #fallback: LogSink | undefined
  #buffer: LogEvent[] = []
  #dropped = 0
  #sending: Promise<void> | undefined
  /** The batch on its way, until the hub acknowledges it. */
  #inFlight: readonly LogEvent[] = []
  #flushTimer: NodeJS.Timeout | undefined
  #retryTimer: NodeJS.Timeout | undefined
  #connecting: Promise<void> | undefined
  /** Failed looks for the hub since it was last reached. */
  #misses = 0
  #closing = false

  constructor(options: HubLogSinkOptions) {
    this.#options = options
    this.#flushMs = options.flushMs ?? 250
    this.#batchEvents = options.batchEvents ?? 200
    this.#maxBuffered = options.maxBuffered ?? 2000
    this.#retryMs = options.retryMs ?? 5_000
    this.#callTimeoutMs = options.callTimeoutMs ?? 2_000
    this.#closeMs = options.closeMs ?? 400
    this.#connect()
  }

  write(event: LogEvent): void {
    try {
      if (this.#state === 'closed') return
      if (this.#state === 'offline') {
        this.#toFiles([event])
        return
      }
      if (this.#buffer.length >= this.#maxBuffered) {
        this.#dropped += 1
        return
      }
      this.#buffer.push(withinLimits(event))
      if (this.#state !== 'connected') return
      if (this.#buffer.length >= this.#batchEvents) this.#flushSoon(0)
      else this.#flushSoon(this.#flushMs)
    } catch {
      // a log must never break the relay
    }
  }

  /** Hands what is left to the hub (or the files), waiting at most `closeMs`. */
  async close(): Promise<void> {
    if (this.#state === 'closed' || this.#closing) return
    this.#closing = true
    clearTimeout(this.#retryTimer)
    clearTimeout(this.#flushTimer)
    const deadline = Date.now() + this.#closeMs
    const left = () => Math.max(0, deadline - Date.now())
    try {
      if (this.#state === 'connecting') await atMost(this.#connecting, left())
      while (this.#state === 'connected' && left() > 0 && (this.#buffer.length > 0 || this.#dropped > 0 || this.#sending)) {
        await atMost(this.#sending ?? this.#send(), left())
      }
    } catch {
      // whatever did not reach the hub goes to the files below
    }
    this.#state = 'closed'
    clearTimeout(this.#retryTimer)
    this.#toFiles(this.#takeUnsent())
    this.#connection?.close()
    this.#connection = undefined
    await this.#fallback?.close?.()
  }

  #connect(): void {
    this.#state = 'connecting'
    this.#connecting = this.#options.connect().then(
      (connection) => {
        if (this.#state === 'closed') {
          connection.close()
          return
        }
        this.#connection = connection
        this.#state = 'connected'
        this.#misses = 0
        connection.onClose(() => {
          if (this.#connection === connection) this.#goOffline()
        })
        // The first batch, even empty, tells the hub this proxy relays for the server.
        this.#flushSoon(0)
      },
      () => this.#goOffline(),
    )
  }

  #goOffline(): void {
    if (this.#state === 'closed') return
    this.#connection?.close()
    this.#connection = undefined
    this.#state = 'offline'
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    this.#toFiles(this.#takeUnsent())
    clearTimeout(this.#retryTimer)
    if (this.#closing) return
    const delay = Math.min(this.#retryMs, 1_000 * 2 ** this.#misses)
    this.#misses += 1
    this.#retryTimer = setTimeout(() => this.#connect(), delay)
    this.#retryTimer.unref()
  }

  #flushSoon(delayMs: number): void {
    if (this.#flushTimer !== undefined && delayMs > 0) return
    clearTimeout(this.#flushTimer)
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined
      if (!this.#sending) void this.#send()
    }, delayMs)
    this.#flushTimer.unref()
  }

  /** Sends one batch; one at a time, so events reach the hub in the order they happened. */
  #send(): Promise<void> {
    const connection = this.#connection
    if (!connection || this.#state !== 'connected') return Promise.resolve()
    const events = this.#takeBatch(this.#batchEvents)
    const batch: LogBatch = { server: this.#options.server, events }
    this.#inFlight = events
    const sending = connection.call('logs', batch, { timeoutMs: this.#callTimeoutMs }).then(
      () => {
        this.#sending = undefined
        if (this.#inFlight === events) this.#inFlight = []
        if (this.#buffer.length > 0 && this.#state === 'connected') this.#flushSoon(this.#buffer.length >= this.#batchEvents ? 0 : this.#flushMs)
      },
      () => {
        this.#sending = undefined
        if (this.#inFlight !== events) return
        if (this.#connection === connection) return this.#goOffline()
        this.#inFlight = []
        this.#toFiles(events)
      },
    )
    this.#sending = sending
    return sending
  }

  /**
   * Everything not acknowledged by the hub, oldest first. The hub may or may not have kept an
   * unanswered batch: a line twice in a file beats a line lost.
   */
  #takeUnsent(): LogEvent[] {
    const unsent = [...this.#inFlight, ...(this.#buffer.length > 0 || this.#dropped > 0 ? this.#takeBatch(Number.POSITIVE_INFINITY) : [])]
    this.#inFlight = []
    return unsent
  }

  /** Up to `max` buffered events, with an event saying how many were dropped since the last batch. */
  #takeBatch(max: number): LogEvent[] {
    const events = this.#buffer.splice(0, max)
    if (this.#dropped > 0) {
      events.push({
        time: new Date().toISOString(),
        server: this.#options.server,
        direction: 'to-server',
        kind: 'proxy',
        method: 'logs-dropped',
        outcome: 'error',
        preview: `${this.#dropped} log events were dropped: MCP Tray did not take them as fast as they came.`,
      })
      this.#dropped = 0
    }
    return events
  }

  #toFiles(events: readonly LogEvent[]): void {
    if (events.length === 0) return
    try {
      this.#fallback ??= this.#options.fallback()
      for (const event of events) this.#fallback.write(event)
    } catch {
      // the file sink reports its own failures on stderr
    }
  }
}

/** The event with its text cut to what the hub accepts: a client may send a method name of any length. */
function withinLimits(event: LogEvent): LogEvent {
  const clip = (text: string | undefined, max: number) => (text !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text)
  const { fieldChars, previewChars } = logBatchLimits
  if ((event.preview?.length ?? 0) <= previewChars && (event.method?.length ?? 0) <= fieldChars && (event.session?.length ?? 0) <= fieldChars && (typeof event.id !== 'string' || event.id.length <= fieldChars)) {
    return event
  }
  return {
    ...event,
    method: clip(event.method, fieldChars),
    session: clip(event.session, fieldChars),
    preview: clip(event.preview, previewChars),
    ...(typeof event.id === 'string' ? { id: clip(event.id, fieldChars) } : {}),
  }
}

/** The sink `mcp-tray proxy` uses: the hub of this data dir, else `<dataDir>/logs`. */
export function proxyLogSink(server: string, dataDir: string): HubLogSink {
  return new HubLogSink({
    server,
    connect: () => connectToHub(hubAddressFor(dataDir), 'proxy', { timeoutMs: 1_000 }),
    fallback: () => new RotatingFileSink({ dir: logsDir(dataDir) }),
  })
}
