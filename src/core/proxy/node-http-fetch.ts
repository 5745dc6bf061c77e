import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'

export interface NodeHttpFetch extends FetchLike {
  /** Closes the kept-alive connections. */
  close(): void
}

const redirectStatuses = new Set([301, 302, 303, 307, 308])
const bodilessStatuses = new Set([101, 103, 204, 205, 304])

/**
 * The `fetch` the proxy sends upstream with, on `node:http`/`node:https` with kept-alive
 * connections. Node's own fetch (undici) compiles its HTTP parser, a WebAssembly module, in every
 * new process: that was the largest single cost of a proxy's start, and a client starts one proxy
 * per connection. It covers what the SDK's transports send (string or byte bodies, abort signals,
 * streamed responses); anything else, and any redirect the caller wants followed, goes to `fallback`.
 * Failures reject as fetch does: an `AbortError` when aborted, else `TypeError('fetch failed')`
 * with the socket error (ECONNREFUSED, ENOTFOUND, TLS codes) as its cause.
 */
export function createNodeHttpFetch(fallback: FetchLike = fetch): NodeHttpFetch {
  const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) }

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
      let pending: { destroy(error: unknown): void } | undefined
      const abort = () => pending?.destroy(signal?.reason)
      signal?.addEventListener('abort', abort, { once: true })
      const request = send(url, { method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (response) => {
        pending = response
        response.once('close', () => signal?.removeEventListener('abort', abort))
        const status = response.statusCode ?? 0
        const follow = init.redirect === undefined || init.redirect === 'follow'
        if (follow && redirectStatuses.has(status)) {
          response.resume()
          resolve(fallback(input, init))
          return
        }
        resolve(toResponse(response, method))
      })
      pending = request
      request.on('error', (error: Error) => {
        signal?.removeEventListener('abort', abort)
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

function toResponse(message: IncomingMessage, method: string): Response {
  const status = message.statusCode ?? 0
  const headers = new Headers()
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!)
  const bodiless = method === 'HEAD' || bodilessStatuses.has(status)
  if (bodiless) message.resume()
  const body = bodiless ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>)
  return new Response(body, { status, statusText: message.statusMessage ?? '', headers })
}
