import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'

export interface NodeHttpFetch extends FetchLike {
  /** Closes the kept-alive connections. */
  close(): void
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
 * Failures reject as fetch does: an `AbortError` when aborted, else `TypeError('fetch failed')`
 * with the socket error (ECONNREFUSED, ENOTFOUND, TLS codes) as its cause.
 */
export function createNodeHttpFetch(fallback: FetchLike = fetch): NodeHttpFetch {
  const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) }
  const aborts = new AbortWatch()

  const nodeFetch = (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input)
    const body = init.body ?? undefined
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !(body === undefined || typeof body === 'string' || body instanceof Uint8Array)) {
      return fallback(input, init)
    }
    const signal = init.signal ?? undefined
    if (signal?.aborted) return Promise.reject(signal.reason)
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = Object.fromEntries(new Headers(init.headers))

    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest
      // Aborting fails whatever is pending with the signal's reason, as fetch does: the request
      // before an answer, the body stream after.
      const pending: { current?: Destroyable } = {}
      const unwatch = signal ? aborts.watch(signal, () => pending.current) : () => {}
      const request = send(url, { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (response) => {
        pending.current = response
        response.once('close', unwatch)
        resolve(toResponse(response, method))
      })
      pending.current = request
      request.on('error', (error: Error) => {
        unwatch()
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }))
      })
      request.end(body)
    })
  }
  return Object.assign(nodeFetch, {
    close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  })
}

interface Destroyable {
  destroy(error: unknown): void
}

/**
 * One abort listener per signal, however many requests wait on it: the SDK's transport gives all
 * its requests one signal, and a listener each would pass Node's limit of ten at the 11th request
 * in flight (a MaxListenersExceededWarning on stderr, which clients keep in their logs).
 */
class AbortWatch {
  readonly #waiting = new WeakMap<AbortSignal, Set<() => Destroyable | undefined>>()

  /** Destroys what `pending` gives when `signal` aborts; returns the call that stops watching. */
  watch(signal: AbortSignal, pending: () => Destroyable | undefined): () => void {
    let waiting = this.#waiting.get(signal)
    if (!waiting) {
      const set = new Set<() => Destroyable | undefined>()
      signal.addEventListener('abort', () => {
        for (const current of set) current()?.destroy(signal.reason)
        set.clear()
      }, { once: true })
      this.#waiting.set(signal, set)
      waiting = set
    }
    waiting.add(pending)
    return () => waiting.delete(pending)
  }
}

function toResponse(message: IncomingMessage, method: string): Response {
  const status = message.statusCode ?? 0
  const headers = new Headers()
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!)
  const bodiless = method === 'HEAD' || bodilessStatuses.has(status)
  if (bodiless) message.resume()
  const body = bodiless ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>)
  return new Response(body, { status, statusText: message.statusMessage ?? '', headers })
}
