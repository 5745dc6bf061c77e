import { MessageTooLargeError, type BodyWatch } from './bounded-body'

/** An SSE response to a request ended, and nothing can bring its answer any more. */
export class EndedWithoutAnswerError extends Error {
  override readonly name = 'EndedWithoutAnswerError'

  constructor() {
    super('the server ended its response without the answer')
  }
}

/** What the relay hears about one client request's answer (see AttemptRecord). */
export interface AnswerListener {
  /** The answer can no longer come: `error` says why. Answer the client now. */
  onlost?: ((error: Error) => void) | undefined
  /** The answer's stream broke where the SDK transport can resume it: the resume decides (upstream-fetch.ts). */
  broken?: Error | undefined
}

export interface WatchedAnswer {
  readonly listener: AnswerListener
  /** Aborted when we end the exchange ourselves (the client was answered, the transport closed). */
  readonly stopped: AbortSignal
  /** The exchange is over (read to its end, failed or cancelled). */
  readonly onsettled: () => void
}

/**
 * Watches the body that carries one client request's answer, so that a request whose answer can no
 * longer come is answered at once, not at its timeout. MCP Streamable HTTP (TR, resumability): a
 * broken connection is not a cancellation, and a stream with event ids may be resumed with
 * `Last-Event-ID`; without ids nothing can bring its answer back.
 * - Its connection breaks: what arrived before the break is still read, then the SSE stream ends as
 *   if closed (an error would throw away events the SDK has not parsed yet). With event ids, the SDK
 *   resumes it and that attempt decides (upstream-fetch.ts); without, `onlost`.
 * - It ends without ids, and its answer was not in it: `onlost` (a no-op for the relay once answered).
 * - It carried a message over the size limit: `onlost` at once (the relay says why), and it ends.
 * - We stopped it: it ends quietly.
 * A JSON body's failures reach the sender as they are: `response.json()` rejects with them.
 * `onlost` waits for a turn of the event loop, so that what the stream carried reaches the relay first.
 * A stream with ids that the SDK does not resume (ids only on events without data) is left to the
 * request's timeout.
 */
export interface AnswerWatch extends BodyWatch {
  /** Whether a body was attached: the fetch took the watch (else see `watchedResponse`). */
  readonly attached: boolean
  /**
   * The response is the one that goes back (not a retried attempt's): once its body is over, the
   * exchange is (`onsettled`).
   */
  arm(): void
}

export function answerWatch(watched: WatchedAnswer): AnswerWatch {
  let current: { over: boolean } | undefined
  let armed = false
  let settled = false
  const settle = (): void => {
    if (settled) return
    settled = true
    watched.onsettled()
  }
  const lostSoon = (error: Error): void => {
    setImmediate(() => watched.listener.onlost?.(error))
  }
  return {
    get attached() {
      return current !== undefined
    },
    arm() {
      armed = true
      if (current?.over) settle()
    },
    attach(eventStream) {
      const reading = { over: false }
      current = reading
      const over = (): void => {
        reading.over = true
        if (armed && current === reading) settle()
      }
      const ids = new EventIdScan()
      return {
        chunk(chunk) {
          if (eventStream && !ids.seen) ids.scan(chunk)
        },
        end(error) {
          over()
          if (!eventStream) return error === undefined ? 'close' : 'error'
          if (watched.stopped.aborted) return 'close'
          if (error === undefined) {
            if (!ids.seen) lostSoon(new EndedWithoutAnswerError())
          } else if (error instanceof MessageTooLargeError) {
            watched.listener.onlost?.(error)
          } else {
            const lost = error instanceof Error ? error : new Error(String(error))
            if (ids.seen) watched.listener.broken = lost
            else lostSoon(lost)
          }
          return 'close'
        },
        cancel: over,
      }
    },
  }
}

/**
 * `response` with its body read through `watch`, for a fetch that does not take a watch itself
 * (node-http-fetch does, in its bounded body, without another stream in between).
 */
export function watchedResponse(response: Response, watch: BodyWatch): Response {
  const eventStream = /^\s*text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')
  const reading = watch.attach(eventStream)
  if (!response.body) {
    reading.end()
    return response
  }
  const reader = response.body.getReader()
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: Awaited<ReturnType<typeof reader.read>>
        try {
          next = await reader.read()
        } catch (error) {
          if (reading.end(error) === 'error') controller.error(error)
          else controller.close()
          return
        }
        if (next.done) {
          reading.end()
          controller.close()
          return
        }
        reading.chunk(next.value)
        controller.enqueue(next.value)
      },
      cancel(reason) {
        reading.cancel()
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
  return new Response(stream, { status: response.status, statusText: response.statusText, headers: response.headers })
}

const LF = 10
const CR = 13
const NUL = 0
const dataField = 'data'
const idField = 'id:'

/**
 * Whether an SSE stream carried an event with both an id and data: the one the SDK transport counts
 * as its priming event, which makes it resume the stream (WHATWG HTML, server-sent events: an id
 * holding NUL is ignored; the SDK takes an empty one as none). Reads line by line, jumping from one
 * line end to the next; a line's first five bytes name its field.
 */
class EventIdScan {
  seen = false
  #afterCr = false
  #length = 0
  #head: number[] = []
  #nul = false
  #eventId = false
  #eventData = false

  scan(chunk: Uint8Array): void {
    let from = 0
    while (from < chunk.length && !this.seen) {
      if (this.#afterCr) {
        this.#afterCr = false
        if (chunk[from] === LF) {
          from += 1
          continue
        }
      }
      const end = nextLineEnd(chunk, from)
      this.#take(chunk, from, end === -1 ? chunk.length : end)
      if (end === -1) return
      this.#endLine()
      this.#afterCr = chunk[end] === CR
      from = end + 1
    }
  }

  #take(chunk: Uint8Array, from: number, to: number): void {
    for (let i = from; i < to && this.#head.length < 5; i += 1) this.#head.push(chunk[i]!)
    if (!this.#nul && this.#head.length >= 3 && String.fromCharCode(...this.#head.slice(0, 3)) === idField) {
      this.#nul = chunk.subarray(from, to).includes(NUL)
    }
    this.#length += to - from
  }

  #endLine(): void {
    const head = String.fromCharCode(...this.#head)
    if (this.#length === 0) {
      if (this.#eventId && this.#eventData) this.seen = true
      this.#eventId = false
      this.#eventData = false
    } else if (head === dataField || head.startsWith(`${dataField}:`)) {
      this.#eventData = true
    } else if (head.startsWith(idField) && !this.#nul) {
      this.#eventId = this.#length > (head[3] === ' ' ? 4 : 3)
    }
    this.#length = 0
    this.#head = []
    this.#nul = false
  }
}

function nextLineEnd(chunk: Uint8Array, from: number): number {
  const lf = chunk.indexOf(LF, from)
  const cr = chunk.indexOf(CR, from)
  return lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr)
}
