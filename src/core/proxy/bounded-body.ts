import type { IncomingMessage } from 'node:http'

/** A message from the server was larger than the proxy reads; its response was aborted. */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError'
  readonly limitBytes: number

  constructor(limitBytes: number) {
    super(`the server sent a message of more than ${describeBytes(limitBytes)}, the most MCP Tray reads; it stopped reading and closed the connection`)
    this.limitBytes = limitBytes
  }
}

/** The connection carrying a response broke before the response was complete. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError'

  constructor(cause: unknown) {
    super(`the connection broke before the answer was complete (${reasonOf(cause).replace(/\.$/, '')})`, { cause })
  }
}

/** The socket's own words under fetch's generic "fetch failed". */
function reasonOf(error: unknown): string {
  let reason = error
  while (reason instanceof Error && reason.message === 'fetch failed' && reason.cause !== undefined) reason = reason.cause
  return reason instanceof Error ? reason.message : String(reason)
}

export function describeBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024)
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes.toLocaleString('en-US')} bytes`
}

/** Told when a body starts being read (answer-watch.ts). */
export interface BodyWatch {
  /** A body starts being read (`eventStream`: an SSE stream); what happens to it goes to the returned reading. */
  attach(eventStream: boolean): BodyReading
}

/** Told what happens to one body as it is read, and deciding how its reader sees the end. */
export interface BodyReading {
  /** Each chunk, as the reader takes it. */
  chunk(chunk: Uint8Array): void
  /** The body ended (no `error`) or failed: the reader sees it fail (`error`) or end as if complete (`close`). */
  end(error?: unknown): 'error' | 'close'
  /** The reader stopped reading. */
  cancel(): void
}

export interface BodyLimit {
  /** The largest message: the whole body, or one SSE event when `eventStream`. */
  readonly maxMessageBytes: number
  readonly eventStream: boolean
}

export interface BoundedBody {
  readonly stream: ReadableStream<Uint8Array>
  /** Ends the body with `reason` (an abort): no more is read, the connection is closed. */
  abort(reason: unknown): void
}

/** Unread bytes held before the socket is paused: what the reader has not taken yet stays bounded. */
const highWaterBytes = 1024 * 1024

/**
 * A response body as fetch gives it, read with a bound on one message (MCP messages are JSON-RPC
 * objects; an SSE stream carries one per event). The bound holds while reading: the first byte over
 * it ends the body with `MessageTooLargeError` and destroys the response, so neither a huge event nor
 * a `data:` line that never ends is ever held whole. A connection that breaks ends the body with
 * `ConnectionLostError` only after everything that arrived before the break was read.
 */
export function boundedBody(message: IncomingMessage, limit: BodyLimit, watch?: BodyWatch): BoundedBody {
  const reading = watch?.attach(limit.eventStream)
  const meter = limit.eventStream ? new EventMeter(limit.maxMessageBytes) : new TotalMeter(limit.maxMessageBytes)
  const queue: Buffer[] = []
  let queuedBytes = 0
  let ending: { readonly error?: unknown } | undefined
  let wake: (() => void) | undefined
  const settle = (end: { readonly error?: unknown }, dropQueued = false): void => {
    if (ending) return
    ending = end
    if (dropQueued) queue.length = 0
    wake?.()
  }
  message.on('data', (chunk: Buffer) => {
    if (ending) return
    if (!meter.fits(chunk)) {
      settle({ error: new MessageTooLargeError(limit.maxMessageBytes) }, true)
      message.destroy()
      return
    }
    queue.push(chunk)
    queuedBytes += chunk.length
    if (queuedBytes >= highWaterBytes) message.pause()
    wake?.()
  })
  message.once('end', () => settle({}))
  message.on('error', (error) => settle({ error: new ConnectionLostError(error) }))
  // Without 'end' first, the response was cut short (Node may not say so with an 'error').
  message.once('close', () => {
    if (!ending) settle({ error: new ConnectionLostError(new Error('the server closed the connection')) })
  })

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (queue.length === 0 && !ending) await new Promise<void>((resolve) => (wake = resolve))
        wake = undefined
        const chunk = queue.shift()
        if (chunk) {
          queuedBytes -= chunk.length
          if (queuedBytes < highWaterBytes && message.isPaused()) message.resume()
          reading?.chunk(chunk)
          controller.enqueue(chunk)
          return
        }
        const error = ending?.error
        const seen = reading ? reading.end(error) : error === undefined ? 'close' : 'error'
        if (seen === 'error') controller.error(error)
        else controller.close()
      },
      cancel() {
        reading?.cancel()
        settle({}, true)
        message.destroy()
      },
    },
    { highWaterMark: 0 },
  )
  return {
    stream,
    abort(reason) {
      settle({ error: reason }, true)
      message.destroy()
    },
  }
}

class TotalMeter {
  readonly #max: number
  #bytes = 0

  constructor(max: number) {
    this.#max = max
  }

  fits(chunk: Buffer): boolean {
    this.#bytes += chunk.length
    return this.#bytes <= this.#max
  }
}

const LF = 10
const CR = 13

/**
 * WHATWG HTML, server-sent events: lines end with CRLF, LF or CR, and a blank line ends an event.
 * Counts the bytes of the event being read (a line is part of its event, so this bounds lines too),
 * jumping from line end to line end with `indexOf`, so a long line costs one native scan.
 */
class EventMeter {
  readonly #max: number
  #event = 0
  #line = 0
  #afterCr = false

  constructor(max: number) {
    this.#max = max
  }

  fits(chunk: Buffer): boolean {
    let from = 0
    let cr = chunk.indexOf(CR)
    while (from < chunk.length) {
      if (this.#afterCr) {
        this.#afterCr = false
        // The LF of a CRLF: the CR already ended the line.
        if (chunk[from] === LF) {
          from += 1
          continue
        }
      }
      if (cr !== -1 && cr < from) cr = chunk.indexOf(CR, from)
      const lf = chunk.indexOf(LF, from)
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr)
      if (end === -1) {
        this.#line += chunk.length - from
        this.#event += chunk.length - from
        break
      }
      this.#event += end - from + 1
      if (this.#event > this.#max) return false
      if (this.#line + (end - from) === 0) this.#event = 0
      this.#line = 0
      this.#afterCr = chunk[end] === CR
      from = end + 1
    }
    return this.#event <= this.#max
  }
}
