import { Agent as HttpAgent, request as httpRequest, type AgentOptions, type ClientRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { AbortWatch } from './abort-watch'
import { boundedBody, type BodyWatch } from './bounded-body'
import { ConnectionQueue } from './connection-queue'
import { defaultMaxLineBytes } from './stdio-lines'

export interface NodeHttpFetch extends FetchLike {
  /** Closes the kept-alive connections. */
  close(): void
}

export interface NodeHttpFetchOptions {
  /** Connections open at once to one server; more requests wait their turn (default 8). */
  readonly maxSockets?: number
  /** The largest message read from a server: one JSON body, or one SSE event (default 32 MiB, as from the client). */
  readonly maxMessageBytes?: number
  /** What sends the requests this fetch does not cover (default: Node's fetch). */
  readonly fallback?: FetchLike
  /** Makes each connection pool: the network's in the proxy (src/core/net: proxy, certificates); plain keep-alive agents by default. */
  readonly createAgent?: (protocol: 'http:' | 'https:', options: AgentOptions) => HttpAgent
}

/** What the proxy's own layers may add to a request's init. */
export interface NodeHttpInit extends RequestInit {
  /**
   * `reserved`: a message that gets no streamed answer (a reply to the server, a notification, the
   * session's DELETE) goes over a few connections of its own, so that it never waits behind the
   * pool's long answers: a tool waiting for the client's reply to an elicitation would otherwise
   * hold a connection the reply needs.
   */
  readonly lane?: 'reserved'
  /** Watches the response body as it is read (see answer-watch.ts). */
  readonly bodyWatch?: BodyWatch
  /** Told `false` when the request starts waiting for a connection, `true` once it was handed to the system whole. */
  readonly onsent?: (sent: boolean) => void
}

export const defaultMaxSockets = 8
const reservedSockets = 2

/** A failed request, as fetch reports it (`TypeError`, the socket error as `cause`), saying whether any of it left. */
export class FetchFailure extends TypeError {
  /** False when it failed before it was handed whole to a connection (refused, DNS, EMFILE): the server cannot have acted on it. */
  readonly sent: boolean

  constructor(cause: unknown, sent: boolean) {
    super('fetch failed', { cause })
    this.sent = sent
  }
}

type Lane = 'pool' | 'reserved'

/**
 * Every connection to a server comes from these agents, kept alive: one per lane and scheme, each
 * opening at most `sockets` connections per server. Requests beyond that wait in a ConnectionQueue.
 */
function createAgents(sockets: Record<Lane, number>, make: NodeHttpFetchOptions['createAgent'] = (protocol, options) => (protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options))) {
  const agents = (lane: Lane) => ({
    'http:': make('http:', { keepAlive: true, maxSockets: sockets[lane] }),
    'https:': make('https:', { keepAlive: true, maxSockets: sockets[lane] }),
  })
  return { pool: agents('pool'), reserved: agents('reserved') }
}

const bodilessStatuses = new Set([204, 205, 304])

/**
 * The `fetch` the proxy sends upstream with, on `node:http`/`node:https` with kept-alive
 * connections. Node's own fetch (undici) compiles its HTTP parser, a WebAssembly module, in every
 * new process: that was the largest single cost of a proxy's start, and a client starts one proxy
 * per connection. It covers what the SDK's transports send (string or byte bodies, abort signals,
 * streamed responses); anything else goes to `fallback`. Redirects are never followed: sending a
 * POST again could run a tool twice, and following to another origin would take the configured
 * headers along; the SDK's transport follows same-origin redirects itself.
 * Every edge is bounded: connections per server (`maxSockets`), and one message read (`maxMessageBytes`,
 * see bounded-body.ts).
 * Failures reject as fetch does: with the signal's reason when aborted, else a `FetchFailure`
 * (`TypeError('fetch failed')`) with the socket error (ECONNREFUSED, ENOTFOUND, EMFILE, TLS codes)
 * as its cause.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): NodeHttpFetch {
  const fallback = options.fallback ?? fetch
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxLineBytes
  const maxSockets = options.maxSockets ?? defaultMaxSockets
  const sockets = { pool: maxSockets, reserved: Math.min(reservedSockets, maxSockets) }
  const agents = createAgents(sockets, options.createAgent)
  const queues = new Map<string, ConnectionQueue>()
  const queueFor = (lane: Lane, origin: string): ConnectionQueue => {
    const key = `${lane} ${origin}`
    let queue = queues.get(key)
    if (!queue) queues.set(key, (queue = new ConnectionQueue(sockets[lane])))
    return queue
  }
  const aborts = new AbortWatch()

  const nodeFetch = (input: string | URL, init: NodeHttpInit = {}): Promise<Response> => {
    const url = new URL(input)
    const body = init.body ?? undefined
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !(body === undefined || typeof body === 'string' || body instanceof Uint8Array)) {
      return fallback(input, init)
    }
    const signal = init.signal ?? undefined
    if (signal?.aborted) return Promise.reject(signal.reason)
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = Object.fromEntries(new Headers(init.headers))
    const lane: Lane = init.lane === 'reserved' ? 'reserved' : 'pool'
    const agent = agents[lane][url.protocol as 'http:' | 'https:']
    const queue = queueFor(lane, url.origin)

    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest
      let sent = false
      const carried = (): void => {
        sent = true
        init.onsent?.(true)
      }
      // Aborting fails whatever is pending with the signal's reason, as fetch does: the request
      // while it waits for a connection or an answer, the body stream after.
      let leaveQueue = (): void => undefined
      let request: ClientRequest | undefined
      const pending: { abort: (reason: unknown) => void } = {
        abort: (reason) => {
          if (request) return void request.destroy(reason as Error)
          leaveQueue()
          reject(reason)
        },
      }
      const unwatch = signal ? aborts.watch(signal, (reason) => pending.abort(reason)) : () => {}
      init.onsent?.(false)
      leaveQueue = queue.enter(() => {
        try {
          request = send(url, { method, headers, agent }, (response) => {
            const answer = toResponse(response, method, maxMessageBytes, init.bodyWatch)
            pending.abort = answer.abort
            response.once('close', unwatch)
            resolve(answer.response)
          })
        } catch (error) {
          unwatch()
          queue.leave()
          reject(new FetchFailure(error, false))
          return
        }
        // Done with its connection: the next request waiting may have it.
        request.once('close', () => queue.leave())
        // Once the whole request was handed to the system for sending: a connection that failed to
        // open (EMFILE, refused, a TLS handshake) never gets there, whatever agent made it, and a
        // server cannot act on a request it did not get whole.
        request.once('finish', carried)
        request.on('error', (error: Error) => {
          unwatch()
          reject(signal?.aborted ? signal.reason : new FetchFailure(error, sent))
        })
        request.end(body)
      })
    })
  }
  return Object.assign(nodeFetch, {
    close() {
      for (const lane of Object.values(agents)) for (const agent of Object.values(lane)) agent.destroy()
    },
  })
}

function toResponse(message: IncomingMessage, method: string, maxMessageBytes: number, watch: BodyWatch | undefined): { response: Response; abort: (reason: unknown) => void } {
  const status = message.statusCode ?? 0
  const headers = new Headers()
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!)
  if (method === 'HEAD' || bodilessStatuses.has(status)) {
    watch?.attach(false).end()
    message.resume()
    return { response: new Response(null, { status, statusText: message.statusMessage ?? '', headers }), abort: () => message.destroy() }
  }
  const eventStream = /^\s*text\/event-stream\b/i.test(headers.get('content-type') ?? '')
  const body = boundedBody(message, { maxMessageBytes, eventStream }, watch)
  return { response: new Response(body.stream, { status, statusText: message.statusMessage ?? '', headers }), abort: body.abort }
}
