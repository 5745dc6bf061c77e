import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { TrayError } from '../../shared/tray-error'
import { idKey, protocolVersionOf, rpcIdOf, rpcKindOf, rpcMethodOf } from './json-rpc'
import { StandaloneStream } from './standalone-stream'
import { atMost } from './at-most'
import { RevisionBridge } from './revision-2026/revision-bridge'

/** The SDK client transports as this module uses them. */
interface RemoteTransport extends Transport {
  readonly sessionId?: string | undefined
  readonly protocolVersion?: string | undefined
  terminateSession?(): Promise<void>
}

export type UpstreamTransportKind = 'streamable-http' | 'sse'

export interface UpstreamNotice {
  readonly what: 'session-recovered' | 'fell-back-to-sse' | 'session-closed' | 'stream-lost' | 'stream-back' | 'revision'
  readonly message: string
  readonly session?: string | undefined
  /** With `revision`: the MCP revision the server speaks. */
  readonly revision?: string
}

export interface UpstreamSessionOptions {
  readonly url: URL
  /** The fetch with auth and retries (see upstream-fetch.ts). */
  readonly fetch: FetchLike
  /** Every message from the server, except answers to the proxy's own re-initialize. */
  readonly onmessage: (message: JSONRPCMessage) => void
  /** Non-fatal trouble the transports report (a dropped stream about to be resumed, …). */
  readonly onerror: (error: Error) => void
  readonly onnotice: (notice: UpstreamNotice) => void
  /** How long re-initializing a lost session may take (default 15 s). */
  readonly reinitializeTimeoutMs?: number
  /** How long the DELETE on close may take before the proxy leaves anyway (default 800 ms). */
  readonly closeTimeoutMs?: number
  /**
   * Runs work that belongs to no one client message (the event stream, which outlives the message
   * that opened it; a session recovery, which every waiting message shares) outside that message's
   * context, so its requests are not counted, logged or abandoned as that message's. Default: as is.
   */
  readonly detached?: (work: () => void) => void
}

const legacyHintStatuses = new Set([400, 404, 405])

/** How many resource subscriptions a recovered session gets back; beyond that the client is on its own. */
export const maxRestoredSubscriptions = 256

function renewed(subscriptions: number): string {
  return subscriptions === 0 ? '' : ` and renewed ${subscriptions} resource subscription${subscriptions === 1 ? '' : 's'}`
}

/** The HTTP status the SDK transports put in their errors, when there is one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined
  const code = (error as Error & { code?: unknown }).code
  if (typeof code === 'number' && code >= 100 && code < 600) return code
  const match = /\(HTTP (\d{3})\)/.exec(error.message)
  return match ? Number(match[1]) : undefined
}

/**
 * The remote half of the relay: one MCP session over the SDK's Streamable HTTP client transport
 * (which does session ids, SSE responses and resumption with Last-Event-ID), falling back to the
 * 2024-11-05 HTTP+SSE transport when POST initialize gets 400/404/405 (TR backwards compatibility),
 * and replaying the client's initialize when the server has forgotten the session (TR: a 404 to a
 * request with a session id), so that the client never notices.
 */
export class UpstreamSession {
  readonly #options: UpstreamSessionOptions
  #transport: RemoteTransport | undefined
  #kind: UpstreamTransportKind = 'streamable-http'
  #initialize: JSONRPCMessage | undefined
  #initialized: JSONRPCMessage | undefined
  #recovery: Promise<void> | undefined
  #internalRequests = 0
  #logLevel: JSONRPCMessage | undefined
  /** The client's `resources/subscribe` requests still in force, by URI, to renew on a new session. */
  readonly #subscriptions = new Map<string, JSONRPCMessage>()
  readonly #internal = new Map<string, (message: JSONRPCMessage) => void>()
  /** The standalone GET stream of each Streamable HTTP transport that opened one. */
  readonly #streams = new Map<RemoteTransport, StandaloneStream>()
  #closed = false
  /**
   * From `notifications/initialized` until the standalone stream first answers: later messages
   * wait, so that what the server sends on that stream in reply to them (an elicitation during a
   * tools/call) is not sent before the stream exists, and lost.
   */
  #streamOpening: Promise<void> | undefined

  /** Bridges to servers of the stateless revision 2026-07-28 (revision-2026/revision-bridge.ts); every exchange goes through it. */
  readonly #bridge: RevisionBridge

  constructor(options: UpstreamSessionOptions) {
    this.#options = options
    this.#bridge = new RevisionBridge({
      fetch: options.fetch,
      detached: (work) => {
        let out!: ReturnType<typeof work>
        this.#detached(() => (out = work()))
        return out
      },
      onrevision: ({ revision, how }) =>
        options.onnotice({ what: 'revision', revision, message: `The server speaks MCP ${revision} (found by ${how}).`, session: this.sessionId }),
      ondiagnostic: (text) => options.onerror(new Error(text)),
    })
  }

  /** The MCP revision the server speaks, once known. */
  get revision(): string | undefined {
    return this.#bridge.revision
  }

  get sessionId(): string | undefined {
    return this.#transport?.sessionId
  }

  get kind(): UpstreamTransportKind {
    return this.#kind
  }

  /** Sends one message upstream; rejects with the transport's error when it could not be delivered. */
  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new TrayError('proxy_closed', 'The proxy is shutting down.')
    if (this.#recovery) await this.#recovery.catch(() => undefined)
    const method = rpcMethodOf(message)
    // Bounded: the initialized POST itself has no timeout of its own.
    if (this.#streamOpening && method !== 'notifications/initialized') await atMost(this.#streamOpening, streamGateMs)
    const kind = rpcKindOf(message)
    if (method === 'initialize' && kind === 'request') this.#initialize = message
    if (method === 'notifications/initialized') this.#initialized = message
    if (method === 'logging/setLevel' && kind === 'request') this.#logLevel = message
    if (kind === 'request') this.#trackSubscription(method, message)
    const transport = this.#transport ?? (await this.#open('streamable-http'))
    const initialized = method === 'notifications/initialized' && this.#kind === 'streamable-http'
    let opened = (): void => undefined
    if (initialized) this.#streamOpening = new Promise<void>((resolve) => (opened = resolve))
    try {
      await transport.send(message)
      if (initialized) await this.#openStreamNow(transport)
      // The server answers again: a stream waiting out its backoff may reconnect now.
      this.#streams.get(transport)?.wake()
    } catch (error) {
      const status = httpStatusOf(error)
      if (this.#kind === 'streamable-http' && method === 'initialize' && status !== undefined && legacyHintStatuses.has(status)) {
        await this.#fallBackToSse(transport, status)
        await this.#transport!.send(message)
        return
      }
      if (status === 404 && method !== 'initialize' && this.#canRecover(transport)) {
        await this.#recover(transport)
        await this.#transport!.send(message)
        return
      }
      throw error
    } finally {
      if (initialized) {
        this.#streamOpening = undefined
        opened()
      }
    }
  }

  /** Ends the session: DELETE it upstream (bounded in time), then stop the transport's streams. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    // Before the DELETE, which ends the server's side of the stream: no reconnect may follow it.
    for (const stream of this.#streams.values()) stream.stop()
    const transport = this.#transport
    if (!transport) return
    const session = transport.sessionId
    if (transport.terminateSession && session !== undefined) {
      await atMost(transport.terminateSession(), this.#options.closeTimeoutMs ?? 800)
    }
    await this.#retire(transport)
    this.#options.onnotice({ what: 'session-closed', message: 'Session closed.', session })
  }

  async #open(kind: UpstreamTransportKind): Promise<RemoteTransport> {
    const transport = await this.#create(kind)
    this.#kind = kind
    this.#transport = transport
    // The legacy transport opens its event stream here, and reopens it after drops: that stream is
    // the session's, not the message's that happened to start it (which is answered long before).
    await new Promise<void>((resolve, reject) => this.#detached(() => void transport.start().then(resolve, reject)))
    return transport
  }

  async #create(kind: UpstreamTransportKind): Promise<RemoteTransport> {
    const { url } = this.#options
    const fetch = this.#bridge.fetch
    let transport: RemoteTransport
    if (kind === 'streamable-http') {
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js')
      transport = new StreamableHTTPClientTransport(url, { fetch: this.#withOwnStream(() => transport) })
    } else {
      const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js')
      transport = new SSEClientTransport(url, { fetch })
    }
    transport.onmessage = (message) => this.#receive(transport, message)
    transport.onerror = (error) => {
      this.#options.onerror(error)
      // A GET (resuming a cut POST response) found the session gone: recover now, not at the
      // next request, so that what the server pushes on its own keeps flowing.
      if (kind === 'streamable-http' && httpStatusOf(error) === 404 && this.#canRecover(transport)) {
        this.#recover(transport).catch((failure: unknown) => this.#options.onerror(failure as Error))
      }
    }
    return transport
  }

  /**
   * The fetch the SDK's Streamable HTTP transport gets. Its own standalone GET stream stops after
   * two failed reconnections (`reconnectionOptions.maxRetries`), so after a longer outage nothing
   * the server sends on its own arrives any more. The proxy runs that stream itself
   * (standalone-stream.ts) and answers the SDK's GET without `Last-Event-ID` with 405, which TR
   * defines as "no stream offered". GETs with `Last-Event-ID` (resuming a cut POST response) pass.
   */
  #withOwnStream(transport: () => RemoteTransport): FetchLike {
    return (url, init) => {
      const headers = new Headers(init?.headers)
      if ((init?.method ?? 'GET').toUpperCase() !== 'GET' || headers.has('last-event-id')) return this.#bridge.fetch(url, init)
      this.#openStream(transport())
      return Promise.resolve(new Response(null, { status: 405 }))
    }
  }

  /** Opens the standalone stream now (not when the SDK gets round to it) and waits at most 2 s for its first answer. */
  async #openStreamNow(transport: RemoteTransport): Promise<void> {
    this.#openStream(transport)
    await atMost(this.#streams.get(transport)?.answered, streamGateMs)
  }

  #openStream(transport: RemoteTransport): void {
    if (this.#closed || this.#streams.has(transport)) return
    const stream = new StandaloneStream({
      url: this.#options.url,
      fetch: this.#bridge.fetch,
      headers: () => ({
        ...(transport.sessionId === undefined ? {} : { 'mcp-session-id': transport.sessionId }),
        ...(transport.protocolVersion === undefined ? {} : { 'mcp-protocol-version': transport.protocolVersion }),
      }),
      onmessage: (message) => this.#receive(transport, message),
      onsessiongone: async () => {
        if (this.#canRecover(transport)) await this.#recover(transport).catch((failure: unknown) => this.#options.onerror(failure as Error))
      },
      onchange: (change) =>
        this.#options.onnotice(
          change.what === 'lost'
            ? { what: 'stream-lost', message: `The server's event stream dropped (${change.reason}); reconnecting with backoff while the session lasts.`, session: transport.sessionId }
            : { what: 'stream-back', message: `The server's event stream is back after ${(change.afterMs / 1000).toFixed(1)} s.`, session: transport.sessionId },
        ),
    })
    this.#streams.set(transport, stream)
    this.#detached(() => stream.start())
  }

  /** Stops a transport for good: its standalone stream, then its own streams. */
  async #retire(transport: RemoteTransport): Promise<void> {
    this.#streams.get(transport)?.stop()
    this.#streams.delete(transport)
    // Closing aborts its requests in flight; those aborts are ours, not trouble to report.
    transport.onerror = undefined
    await transport.close().catch(() => undefined)
  }

  #receive(transport: RemoteTransport, message: JSONRPCMessage): void {
    const id = rpcIdOf(message)
    if (id !== undefined && rpcKindOf(message) !== 'request') {
      const internal = this.#internal.get(idKey(id))
      if (internal) {
        this.#internal.delete(idKey(id))
        internal(message)
        return
      }
      if (this.#initialize && id === rpcIdOf(this.#initialize)) {
        this.#bridge.initializeAnswered(message)
        const version = protocolVersionOf(message)
        if (version !== undefined && transport === this.#transport) {
          transport.setProtocolVersion?.(version)
        }
      }
    }
    this.#options.onmessage(message)
  }

  async #fallBackToSse(failed: RemoteTransport, status: number): Promise<void> {
    failed.onclose = undefined
    await failed.close().catch(() => undefined)
    this.#transport = undefined
    await this.#open('sse')
    this.#options.onnotice({
      what: 'fell-back-to-sse',
      message: `POST initialize got HTTP ${status}: using the 2024-11-05 HTTP+SSE transport.`,
    })
  }

  #canRecover(transport: RemoteTransport): boolean {
    return this.#kind === 'streamable-http' && !this.#closed && transport.sessionId !== undefined && this.#initialize !== undefined
  }

  /** Single flight: however many requests hit the 404, the session is re-initialized once. */
  async #recover(stale: RemoteTransport): Promise<void> {
    if (this.#transport !== stale) return
    this.#recovery ??= new Promise<void>((resolve, reject) => this.#detached(() => void this.#reinitialize(stale).then(resolve, reject))).finally(() => {
      this.#recovery = undefined
    })
    await this.#recovery
  }

  #detached(work: () => void): void {
    if (this.#options.detached) this.#options.detached(work)
    else work()
  }

  async #reinitialize(stale: RemoteTransport): Promise<void> {
    const staleSession = stale.sessionId
    const fresh = await this.#create('streamable-http')
    await fresh.start()
    try {
      const answer = await this.#ask(fresh, this.#initialize!, 'reinitialize')
      const version = protocolVersionOf(answer)
      if (version === undefined) {
        throw new TrayError('session_recovery_failed', 'The server refused to start a new session.', {
          hint: 'Restart the client to connect again.',
        })
      }
      fresh.setProtocolVersion?.(version)
      if (this.#initialized) await this.#inRecoveryTime(fresh.send(this.#initialized), 'sending notifications/initialized')
      // Session state the client set up and would not know to set again.
      if (this.#logLevel) await this.#ask(fresh, this.#logLevel, 'set-level')
      await this.#resubscribe(fresh)
    } catch (error) {
      await this.#retire(fresh)
      throw error
    }
    this.#transport = fresh
    stale.onclose = undefined
    await this.#retire(stale)
    // As after the first initialized: what the server sends on the new stream for the replayed message must not be lost.
    if (this.#initialized) await this.#openStreamNow(fresh)
    this.#options.onnotice({
      what: 'session-recovered',
      message: `The server forgot session ${staleSession ?? '?'}; started ${fresh.sessionId ?? 'a new one'} with the client's initialize${renewed(this.#subscriptions.size)}.`,
      session: fresh.sessionId,
    })
  }

  #trackSubscription(method: string | undefined, message: JSONRPCMessage): void {
    if (method !== 'resources/subscribe' && method !== 'resources/unsubscribe') return
    const uri = (message as { params?: { uri?: unknown } }).params?.uri
    if (typeof uri !== 'string') return
    if (method === 'resources/unsubscribe') this.#subscriptions.delete(uri)
    else if (this.#subscriptions.has(uri) || this.#subscriptions.size < maxRestoredSubscriptions) this.#subscriptions.set(uri, message)
  }

  /**
   * A new session knows nothing of the old one's subscriptions, and the client would not know to
   * subscribe again: renew them, so `notifications/resources/updated` keep coming. The answers are
   * the proxy's own; one the server refuses is reported, not fatal to the recovery.
   */
  async #resubscribe(fresh: RemoteTransport): Promise<void> {
    const renewals = [...this.#subscriptions.entries()].map(async ([uri, request]) => {
      const answer = await this.#ask(fresh, request, 'subscribe').catch((error: unknown) => error)
      if (answer instanceof Error || 'error' in (answer as object)) {
        this.#options.onerror(new TrayError('resubscribe_failed', `The new session refused the subscription to ${uri}; updates to it will not arrive.`))
      }
    })
    await Promise.all(renewals)
  }

  /** Sends a copy of the client's `request` under the proxy's own id and waits for its answer, which the client never sees. */
  async #ask(transport: RemoteTransport, request: JSONRPCMessage, label: string): Promise<JSONRPCMessage> {
    this.#internalRequests += 1
    const id = `mcp-tray-${label}-${this.#internalRequests}`
    const key = idKey(id)
    let answered = false
    const reply = new Promise<JSONRPCMessage>((resolve) =>
      this.#internal.set(key, (message) => {
        answered = true
        resolve(message)
      }),
    )
    try {
      return await this.#inRecoveryTime(
        transport.send({ ...request, id } as JSONRPCMessage).then(() => reply),
        `waiting for the answer to ${rpcMethodOf(request) ?? label}`,
      )
    } finally {
      // An answer that comes after the wait ended is still the proxy's own: the client must not get it.
      if (!answered) this.#internal.set(key, () => {})
    }
  }

  /**
   * Bounds one step of starting a new session, the sending included: a server that takes the POST
   * and never answers would otherwise hold the recovery, and every message waiting on it, for good.
   */
  async #inRecoveryTime<T>(step: Promise<T>, during: string): Promise<T> {
    const limitMs = this.#options.reinitializeTimeoutMs ?? 15_000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TrayError('session_recovery_timeout', `The server forgot the session, and starting a new one took longer than ${limitMs / 1000} s (stuck ${during}).`, {
              hint: 'The request was not sent. Try it again; if this keeps happening, restart the client or check the server.',
            }),
          ),
        limitMs,
      )
    })
    try {
      return await Promise.race([step, timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}

/** How long messages after `initialized` wait for the server's event stream to answer. */
const streamGateMs = 2_000
