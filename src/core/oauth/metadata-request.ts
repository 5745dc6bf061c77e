/** How discovery fetches: an injectable `fetch` (tests, proxies) and a cancel signal. */
export interface DiscoveryOptions {
  readonly fetch?: typeof fetch
  readonly signal?: AbortSignal
}

/**
 * RFC 8615 well-known metadata: GETs one candidate location as JSON. A network failure at one
 * location means "try the next one" (`undefined`); a cancellation is thrown.
 */
export async function metadataRequest(url: URL, options: DiscoveryOptions): Promise<Response | undefined> {
  try {
    return await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } catch (cause) {
    if (options.signal?.aborted) throw cause
    return undefined
  }
}
