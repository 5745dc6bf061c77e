import type { ServerEntry } from '../registry/server-entry'
import type { ServerRegistry } from '../registry/server-registry'

export interface ProxyTarget {
  /** The server's name in the registry, logs and error messages. */
  readonly name: string
  readonly url: URL
  readonly timeoutMs: number | undefined
  /** Names of the extra headers to send; their values come from the hub. */
  readonly headerNames: readonly string[]
}

/**
 * What `mcp-tray proxy <server>` relays to: a registered server by name, or a URL. A URL not yet
 * registered is added on the fly, so the command also works as a drop-in for `mcp-remote <url>`.
 */
export function resolveProxyTarget(server: string, registry: ServerRegistry): ProxyTarget {
  return targetOf(isHttpUrl(server) ? registry.add({ url: server }).server : registry.require(server))
}

/** The target when the registry already lists it, without writing anything; undefined otherwise. */
export function findProxyTarget(server: string, registry: ServerRegistry): ProxyTarget | undefined {
  const entry = isHttpUrl(server) ? registry.findByUrl(server) : registry.get(server)
  return entry && targetOf(entry)
}

function targetOf(entry: ServerEntry): ProxyTarget {
  return { name: entry.name, url: new URL(entry.url), timeoutMs: entry.timeoutMs, headerNames: entry.headerNames ?? [] }
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value)
}
