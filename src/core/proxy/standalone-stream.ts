import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { MessageTooLargeError } from './bounded-body'
import { rpcKindOf } from './json-rpc'

export interface StandaloneStreamOptions {
  readonly url: URL
  /** The fetch with auth and retries (see upstream-fetch.ts). */
  readonly fetch: FetchLike
  /** The session's headers (`mcp-session-id`, `mcp-protocol-version`) at the time of each attempt. */
  readonly headers: () => Record<string, string>
  readonly onmessage: (message: JSONRPCMessage) => void
  /** The server answered 404: the session is gone. Resolves once a recovery was tried. */
  readonly onsessiongone: () => Promise<void>
  /** The stream dropped (`lost`), or came back after failing (`back`, with how long it was away). */
  readonly onchange: (change: { readonly what: 'lost'; readonly reason: string } | { readonly what: 'back'; readonly afterMs: number }) => void
  /** Wait before reconnecting when the server gives no SSE `retry` (default 1 s). */
  readonly baseDelayMs?: number
  /** The longest wait between attempts (default 30 s). */
  readonly maxDelayMs?: number
  /** How long the server may take to answer a GET before the attempt counts as failed (default 10 s). */
  readonly answerTimeoutMs?: number
  /** For tests: where the jitter comes from. */
  readonly random?: () => number
}

/** A stream shorter than this that delivered nothing counts as a failure, so a server that closes at once is not hammered. */
const shortLivedMs = 5_000

/**
 * MCP Streamable HTTP (TR, listening for messages from the server): the optional GET stream that
 * carries what the server sends on its own (list_changed, resources/updated, log messages).
 * The SDK's client transport gives up on it after a couple of failed reconnections; this one keeps
 * reconnecting, with jittered backoff capped at `maxDelayMs`, for as long as its session lives:
 * honouring the SSE `retry` field and resuming with `Last-Event-ID` (TR, resumability), stopping
 * for good only on 405 (no stream offered), a 404 to the session's very first GET, or `stop()`.
 */
export class StandaloneStream {
  readonly #options: StandaloneStreamOptions
  readonly #abort = new AbortController()
  #lastEventId: string | undefined
  #retryMs: number | undefined
  #failures = 0
  /** Whether the current connection carried a message. */
  #delivered = false
  /** Whether the server ever gave this session a stream. */
  #everOpened = false
  #lostAt: number | undefined
  #wake: (() => void) | undefined
  #answer!: () => void
  /** Settles once the first GET was answered (a stream, 405, another status) or failed, or on `stop()`. */
  readonly answered = new Promise<void>((resolve) => {
    this.#answer = resolve
  })

  constructor(options: StandaloneStreamOptions) {
    this.#options = options
  }

  get stopped(): boolean {
    return this.#abort.signal.aborted
  }

  start(): void {
    void this.#run()
  }

  stop(): void {
    this.#answer()
    this.#abort.abort()
    this.#wake?.()
  }

  /** The server just answered a request: if the stream is waiting to reconnect, try now. */
  wake(): void {
    this.#wake?.()
  }

  async #run(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now()
      let opened = false
      let failure: string | undefined
      let tooLarge = false
      this.#delivered = false
      // Per attempt: stopping aborts it, and so does a server that accepts the connection but never answers.
      const attempt = new AbortController()
      const stopAttempt = () => attempt.abort()
      this.#abort.signal.addEventListener('abort', stopAttempt, { once: true })
      const answerTimeoutMs = this.#options.answerTimeoutMs ?? 10_000
      const timer = setTimeout(() => attempt.abort(new Error(`no answer within ${answerTimeoutMs / 1000} s`)), answerTimeoutMs)
      try {
        const response = await this.#options.fetch(this.#options.url, { method: 'GET', headers: this.#headers(), signal: attempt.signal })
        clearTimeout(timer)
        this.#answer()
        if (response.status === 405) {
          await response.body?.cancel()
          return
        }
        // A 404 to the very first GET of a session the server just accepted says "no stream here"
        // (where 405 was meant), not "session gone": taken as gone, each new session would start another.
        if (response.status === 404 && !this.#everOpened && this.#lostAt === undefined) {
          await response.body?.cancel()
          return
        }
        if (response.status === 404) {
          await response.body?.cancel()
          await this.#options.onsessiongone()
          failure = 'the server no longer knows the session'
        } else if (response.status === 400 && this.#lastEventId !== undefined) {
          // The server cannot resume from that event (forgotten, or another server behind the URL): start afresh.
          await response.body?.cancel()
          this.#lastEventId = undefined
          failure = 'the server could not resume from the last event'
        } else if (!response.ok || !response.body || !/^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) {
          await response.body?.cancel()
          failure = `HTTP ${response.status}`
        } else {
          opened = true
          this.#everOpened = true
          if (this.#lostAt !== undefined) this.#options.onchange({ what: 'back', afterMs: Date.now() - this.#lostAt })
          this.#lostAt = undefined
          await this.#read(response.body)
          failure = 'the server closed it'
        }
      } catch (error) {
        this.#answer()
        if (this.stopped) return
        const reason = error instanceof Error ? error.message : String(error)
        failure = opened ? `it broke off: ${reason}` : reason
        tooLarge = error instanceof MessageTooLargeError
      } finally {
        clearTimeout(timer)
        this.#abort.signal.removeEventListener('abort', stopAttempt)
      }
      if (this.stopped) return
      // A stream that served a while (or carried messages) was healthy: reconnect soon after it ends.
      // One cut off for a message over the size limit was not: resumed, it would bring that message again.
      if (opened && !tooLarge && (this.#delivered || Date.now() - started >= shortLivedMs)) {
        this.#failures = 0
      } else {
        this.#failures += 1
        if (this.#lostAt === undefined) {
          this.#lostAt = started
          this.#options.onchange({ what: 'lost', reason: failure ?? 'unknown' })
        }
      }
      await this.#sleep(this.#delay())
    }
  }

  #headers(): Headers {
    const headers = new Headers(this.#options.headers())
    headers.set('accept', 'text/event-stream')
    if (this.#lastEventId !== undefined) headers.set('last-event-id', this.#lastEventId)
    return headers
  }

  /** Reads events until the stream ends (returns) or fails (throws). */
  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new SseParser((event) => {
      if (event.id !== undefined) this.#lastEventId = event.id
      if (event.retry !== undefined) this.#retryMs = event.retry
      if (event.data === '' || (event.event !== '' && event.event !== 'message')) return
      let message: unknown
      try {
        message = JSON.parse(event.data)
      } catch {
        return
      }
      if (rpcKindOf(message) === undefined) return
      this.#delivered = true
      this.#options.onmessage(message as JSONRPCMessage)
    })
    for await (const chunk of body.pipeThrough(new TextDecoderStream())) parser.feed(chunk)
  }

  /** After a clean end, the server's `retry` (or the base); after failures, growing by half each time. Jittered, capped. */
  #delay(): number {
    const base = this.#retryMs ?? this.#options.baseDelayMs ?? 1_000
    const cap = this.#options.maxDelayMs ?? 30_000
    const grown = Math.min(cap, base * 1.5 ** this.#failures)
    // The server's `retry` is honoured up to the cap: a huge one would end the stream in all but name.
    return Math.min(cap, Math.max(this.#retryMs ?? 0, grown * (0.5 + (this.#options.random ?? Math.random)() / 2)))
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#wake = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#wake = done
    })
  }
}

interface SseEvent {
  readonly event: string
  readonly data: string
  readonly id: string | undefined
  readonly retry: number | undefined
}

/** WHATWG HTML, server-sent events, "interpreting an event stream": just the fields MCP uses. */
class SseParser {
  readonly #onevent: (event: SseEvent) => void
  #buffer = ''
  #scanFrom = 0
  #event = ''
  #data: string[] = []
  #id: string | undefined
  #retry: number | undefined

  constructor(onevent: (event: SseEvent) => void) {
    this.#onevent = onevent
  }

  feed(text: string): void {
    const buffer = this.#buffer + text
    let start = 0
    let i = this.#scanFrom
    for (; i < buffer.length; i += 1) {
      const c = buffer.charCodeAt(i)
      if (c !== 10 && c !== 13) continue
      if (c === 13 && i === buffer.length - 1) break // perhaps the first half of \r\n: wait for more
      this.#line(buffer.slice(start, i))
      if (c === 13 && buffer.charCodeAt(i + 1) === 10) i += 1
      start = i + 1
    }
    this.#buffer = buffer.slice(start)
    // Where to go on scanning, so that a long line arriving in many chunks is scanned once.
    this.#scanFrom = i - start
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length > 0 || this.#id !== undefined || this.#retry !== undefined) {
        this.#onevent({ event: this.#event, data: this.#data.join('\n'), id: this.#id, retry: this.#retry })
      }
      this.#event = ''
      this.#data = []
      this.#id = undefined
      this.#retry = undefined
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1))
    if (field === 'data') this.#data.push(value)
    else if (field === 'event') this.#event = value
    else if (field === 'id' && !value.includes('\0')) this.#id = value
    else if (field === 'retry' && /^\d+$/.test(value)) this.#retry = Number(value)
  }
}
