import { createParser } from 'eventsource-parser'

/**
 * JSON-RPC messages in and out of Streamable HTTP bodies: an answer is a JSON body or an SSE
 * stream of `message` events (transports, sending messages to the server).
 */

/** Every JSON-RPC message a response carries, in order, as they arrive; a 4xx/5xx body with a JSON-RPC error counts. */
export async function* messagesOf(response: Response): AsyncGenerator<Record<string, unknown>> {
  const type = response.headers.get('content-type') ?? ''
  if (!response.body) return
  if (/^text\/event-stream\b/i.test(type)) {
    const queue: Record<string, unknown>[] = []
    const parser = createParser({
      onEvent: (event) => {
        if (event.event !== undefined && event.event !== 'message') return
        const message = parseObject(event.data)
        if (message) queue.push(message)
      },
    })
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
      parser.feed(chunk)
      while (queue.length > 0) yield queue.shift()!
    }
    return
  }
  const parsed: unknown = parseAny(await response.text())
  for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
    if (item !== null && typeof item === 'object') yield item as Record<string, unknown>
  }
}

function parseAny(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  const value = parseAny(text)
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** An SSE response the proxy writes itself, message by message, for the SDK transport to read. */
export class EventStreamWriter {
  readonly #encoder = new TextEncoder()
  #controller!: ReadableStreamDefaultController<Uint8Array>
  #closed = false
  readonly response: Response
  /** Aborted when the reader goes away (the transport closed, the stream was cancelled). */
  readonly cancelled = new AbortController()

  constructor(headers: Record<string, string> = {}) {
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller
      },
      cancel: () => {
        this.#closed = true
        this.cancelled.abort()
      },
    })
    this.response = new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream', ...headers } })
  }

  get closed(): boolean {
    return this.#closed
  }

  write(message: unknown): void {
    if (this.#closed) return
    this.#controller.enqueue(this.#encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`))
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#controller.close()
  }
}

/** A JSON body response, as a server would send one. */
export function jsonResponse(message: unknown, status = 200): Response {
  return new Response(JSON.stringify(message), { status, headers: { 'content-type': 'application/json' } })
}
