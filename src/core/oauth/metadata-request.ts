import { networkFailure } from '../net/network-failure'

/** How discovery fetches: an injectable `fetch` (tests, proxies) and a cancel signal. */
export interface DiscoveryOptions {
  readonly fetch?: typeof fetch
  readonly signal?: AbortSignal
}

/**
 * RFC 8615 well-known metadata: GETs one candidate location as JSON. A network failure at one
 * location means "try the next one" (`undefined`); a cancellation is thrown, and so is a refused
 * certificate or a failing proxy, which every location on the host would meet alike.
 */
export async function metadataRequest(url: URL, options: DiscoveryOptions): Promise<Response | undefined> {
  try {
    return await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } catch (cause) {
    if (options.signal?.aborted) throw cause
    const atTheEdge = networkFailure(cause)
    if (atTheEdge) throw atTheEdge
    return undefined
  }
}
