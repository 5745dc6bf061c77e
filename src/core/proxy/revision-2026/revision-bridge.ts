import { LOG_LEVEL_META_KEY, SERVER_INFO_META_KEY } from './meta-keys'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { TrayError } from '../../../shared/tray-error'
import { atMost } from '../at-most'
import { idKey, type RpcId } from '../json-rpc'
import { runInputRounds, type InputRoundsLimits } from './input-rounds'
import { isModernRevision, modernRevisions, paramHeaders, paramHeadersOf, standardHeaders, withEnvelope, type ClientIdentity, type ParamHeader } from './modern-wire'
import { EventStreamWriter, jsonResponse, messagesOf } from './rpc-events'

/** How the proxy learnt the server's revision. */
export interface RevisionFound {
  readonly revision: string
  readonly how: 'initialize' | 'server/discover'
}

export interface RevisionBridgeOptions {
  /** The fetch with auth and retries (upstream-fetch.ts). */
  readonly fetch: FetchLike
  /**
   * Runs an exchange of the proxy's own (the probe, a retried round, the listen stream) outside the
   * client message's context, so that it is not watched, counted or abandoned as that message's.
   */
  readonly detached: <T>(work: () => T) => T
  readonly onrevision: (found: RevisionFound) => void
  readonly ondiagnostic: (text: string) => void
  readonly limits?: Partial<InputRoundsLimits>
}

type Message = Record<string, unknown>

interface Modern {
  readonly version: string
  readonly client: ClientIdentity
  readonly discover: Message
}

/**
 * Lets a client of the initialize-based revisions (2025-11-25 and before) use a server of the
 * stateless revision 2026-07-28, as a fetch between the SDK v1 transport and the network:
 * - The client's `initialize` goes first as it is, with the standard headers and `_meta` of its own
 *   version. A refusal that means "not this revision" (a JSON-RPC error, as 400/404/405 or not, or
 *   an answer naming a revision the client did not ask for) leads to `server/discover`
 *   (2026-07-28 versioning, backward compatibility); a server that offers 2026-07-28 there gets
 *   it from then on, and the client its `initialize` answer made from the discovery, in its own
 *   version. Anything else stays as it was (session, HTTP+SSE fallback).
 * - Toward such a server every message carries the `_meta` envelope and the standard and
 *   `x-mcp-header` headers; `initialized`, `logging/setLevel` and resource subscriptions are
 *   answered here (they have no 2026 counterpart but `_meta` and `subscriptions/listen`).
 * - `input_required` results become the 2025 requests the client understands, on the same
 *   response stream; the answers go back with the original request (input-rounds.ts).
 * - The GET stream becomes a `subscriptions/listen` stream.
 */
export class RevisionBridge {
  readonly #options: RevisionBridgeOptions
  #verdict: 'legacy' | Modern | undefined
  #reported = false
  #counter = 0
  readonly #tools = new Map<string, readonly ParamHeader[]>()
  readonly #subscriptions = new Set<string>()
  readonly #inputs = new Map<string, (answer: Message) => void>()
  #logLevel: string | undefined
  /** Replaces the listen upstream with one of the current filter; resolves once it is acknowledged. */
  #renewListen: (() => Promise<void>) | undefined

  constructor(options: RevisionBridgeOptions) {
    this.#options = options
  }

  /** The revision the server speaks, once known. */
  get revision(): string | undefined {
    return this.#verdict === undefined || this.#verdict === 'legacy' ? undefined : this.#verdict.version
  }

  /** The relay saw the server's answer to `initialize`: reports an initialize-based revision once. */
  initializeAnswered(message: unknown): void {
    const version = (message as { result?: { protocolVersion?: unknown } }).result?.protocolVersion
    if (this.#verdict === undefined) this.#verdict = 'legacy'
    if (this.#verdict === 'legacy' && typeof version === 'string') this.#report({ revision: version, how: 'initialize' })
  }

  readonly fetch: FetchLike = async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase()
    const modern = typeof this.#verdict === 'object' ? this.#verdict : undefined
    if (method === 'GET') return modern ? this.#listen(url, init, modern) : this.#options.fetch(url, init)
    // No session to end.
    if (method === 'DELETE' && modern) return new Response(null, { status: 405 })
    const message = method === 'POST' && typeof init.body === 'string' ? parseMessage(init.body) : undefined
    if (!message) return this.#options.fetch(url, init)
    if (modern) return this.#modernPost(url, init, message, modern)
    if (this.#verdict === undefined && message.method === 'initialize' && 'id' in message) return this.#firstInitialize(url, init, message)
    return this.#options.fetch(url, init)
  }

  #report(found: RevisionFound): void {
    if (this.#reported) return
    this.#reported = true
    this.#options.onrevision(found)
  }

  async #firstInitialize(url: string | URL, init: RequestInit, message: Message): Promise<Response> {
    const params = (message.params ?? {}) as Message
    const client: ClientIdentity = {
      protocolVersion: typeof params.protocolVersion === 'string' ? params.protocolVersion : '2025-11-25',
      capabilities: (params.capabilities ?? {}) as Record<string, unknown>,
      clientInfo: params.clientInfo as Record<string, unknown> | undefined,
    }
    const headers = new Headers(init.headers)
    for (const [name, value] of Object.entries(standardHeaders('initialize', params, client.protocolVersion))) headers.set(name, value)
    const body = JSON.stringify({ ...message, params: withEnvelope(params, client.protocolVersion, client) })
    const response = await this.#options.fetch(url, { ...init, headers, body })
    // A streamed answer comes from a server of the initialize-based revisions (relay: initializeAnswered).
    if (!/^application\/json\b/i.test(response.headers.get('content-type') ?? '') || (response.status >= 401 && response.status <= 403)) return response
    const text = await response.text()
    const answer = parseMessage(text)
    const refused = answer?.error as { code?: unknown; data?: { supported?: unknown } } | undefined
    const answered = (answer?.result as { protocolVersion?: unknown } | undefined)?.protocolVersion
    if (refused !== undefined || isModernRevision(answered)) {
      const supported = Array.isArray(refused?.data?.supported) ? refused.data.supported : []
      const found = await this.#discover(url, init, client, supported).catch((error: unknown) => {
        this.#options.ondiagnostic(`server/discover after the refused initialize failed: ${error instanceof Error ? error.message : String(error)}`)
        return undefined
      })
      if (found) {
        this.#verdict = found
        this.#report({ revision: found.version, how: 'server/discover' })
        return jsonResponse({ jsonrpc: '2.0', id: message.id, result: initializeResultFrom(found, new URL(url).host) })
      }
    }
    if (response.ok && typeof answered === 'string') {
      this.#verdict = 'legacy'
      this.#report({ revision: answered, how: 'initialize' })
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers })
  }

  /** `server/discover` with the revision's envelope; a `-32022` naming a revision we speak gets one more try with it. */
  async #discover(url: string | URL, init: RequestInit, client: ClientIdentity, supported: unknown[]): Promise<Modern | undefined> {
    let version = modernRevisions.find((candidate) => supported.includes(candidate)) ?? modernRevisions[0]
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const id = this.#id('discover')
      const request = { jsonrpc: '2.0', id, method: 'server/discover', params: withEnvelope({}, version, client) }
      const answer = await this.#exchange(url, init, request, standardHeaders('server/discover', {}, version), AbortSignal.timeout(15_000))
      const error = answer?.error as { code?: unknown; data?: { supported?: unknown } } | undefined
      const result = answer?.result as Message | undefined
      if (result && Array.isArray(result.supportedVersions)) {
        const offered = result.supportedVersions as unknown[]
        const chosen = modernRevisions.find((candidate) => offered.includes(candidate))
        return chosen === undefined ? undefined : { version: chosen, client, discover: result }
      }
      const retry = error?.code === -32022 && Array.isArray(error.data?.supported) ? modernRevisions.find((candidate) => (error.data!.supported as unknown[]).includes(candidate)) : undefined
      if (retry === undefined || retry === version) return undefined
      version = retry
    }
    return undefined
  }

  async #modernPost(url: string | URL, init: RequestInit, message: Message, modern: Modern): Promise<Response> {
    const method = typeof message.method === 'string' ? message.method : undefined
    if (method === undefined) {
      // The client's answer to a request the proxy made of an input_required result.
      const id = message.id as RpcId
      const waiting = id === undefined ? undefined : this.#inputs.get(idKey(id))
      if (waiting) waiting(message)
      return new Response(null, { status: 202 })
    }
    const params = message.params as Message | undefined
    if (!('id' in message)) {
      if (method === 'notifications/initialized') return new Response(null, { status: 202 })
      const notification = { ...message, params: withEnvelope(params, modern.version, modern.client) }
      return this.#post(url, init, notification, standardHeaders(method, params, modern.version), init.signal ?? undefined)
    }
    const id = message.id as RpcId
    const answerHere = (result: Message): Response => jsonResponse({ jsonrpc: '2.0', id, result })
    if (method === 'initialize') return answerHere(initializeResultFrom(modern, new URL(url).host))
    if (method === 'logging/setLevel') {
      this.#logLevel = typeof params?.level === 'string' ? params.level : undefined
      return answerHere({})
    }
    if (method === 'resources/subscribe' || method === 'resources/unsubscribe') {
      const uri = params?.uri
      if (typeof uri === 'string') {
        if (method === 'resources/subscribe') this.#subscriptions.add(uri)
        else this.#subscriptions.delete(uri)
        // Answered once the server listens for it: an update right after the answer must reach the client.
        await atMost(this.#renewListen?.(), 5_000)
      }
      return answerHere({})
    }
    const writer = new EventStreamWriter()
    void this.#request(url, init, message, modern, writer)
      .catch((error: unknown) => writer.write({ jsonrpc: '2.0', id, error: { code: -32603, message: error instanceof Error ? error.message : String(error) } }))
      .finally(() => writer.close())
    return writer.response
  }

  /** One client request: its legs upstream (one, or more with input rounds), the answer under the client's id. */
  async #request(url: string | URL, init: RequestInit, message: Message, modern: Modern, writer: EventStreamWriter): Promise<void> {
    const method = message.method as string
    const original = (message.params ?? {}) as Message
    const extraMeta = this.#logLevel === undefined ? {} : { [LOG_LEVEL_META_KEY]: this.#logLevel }
    const leg = async (params: Message, first: boolean): Promise<Message> => {
      // 2026-07-28 multi round-trip requests: a retry MUST have an id of its own.
      const id = first ? (message.id as RpcId) : this.#id('retry')
      const headers = {
        ...standardHeaders(method, params, modern.version),
        ...(method === 'tools/call' ? paramHeaders(this.#tools.get(String(params.name)) ?? [], params.arguments) : {}),
      }
      const request = { jsonrpc: '2.0', id, method, params: withEnvelope(params, modern.version, modern.client, extraMeta) }
      const answer = await this.#exchange(url, init, request, headers, writer.cancelled.signal, (other) => writer.write(other))
      if (!answer) throw new TrayError('answer_missing', `The server ended its response to ${method} without the answer.`, { hint: 'Try again; if it keeps happening, the server is at fault.' })
      return answer
    }
    const answer = await runInputRounds({
      original,
      leg,
      ask: (request) => this.#ask(request, writer),
      limits: this.#options.limits,
      signal: writer.cancelled.signal,
    })
    writer.write({ ...this.#forClient(method, answer), id: message.id })
  }

  /** A request from an `input_required` result, sent to the client on the answer's stream; resolves with the client's answer. */
  #ask(request: { method: string; params: unknown }, writer: EventStreamWriter): Promise<Message> {
    const id = this.#id('input')
    return new Promise<Message>((resolve, reject) => {
      const stop = (): void => {
        this.#inputs.delete(idKey(id))
        reject(new TrayError('input_abandoned', 'The client stopped waiting for this request.'))
      }
      writer.cancelled.signal.addEventListener('abort', stop, { once: true })
      this.#inputs.set(idKey(id), (answer) => {
        this.#inputs.delete(idKey(id))
        writer.cancelled.signal.removeEventListener('abort', stop)
        resolve(answer)
      })
      writer.write({ jsonrpc: '2.0', id, method: request.method, params: request.params })
    })
  }

  /** What the client gets: `tools/list` without the tools whose `x-mcp-header` is invalid (server/tools: clients MUST exclude them). */
  #forClient(method: string, answer: Message): Message {
    const result = answer.result as { tools?: unknown } | undefined
    if (method !== 'tools/list' || !result || !Array.isArray(result.tools)) return answer
    const kept = result.tools.filter((tool: { name?: unknown; inputSchema?: unknown }) => {
      const found = paramHeadersOf(tool.inputSchema)
      if ('invalid' in found) {
        this.#options.ondiagnostic(`left out tool ${String(tool.name)}: ${found.invalid}`)
        return false
      }
      this.#tools.set(String(tool.name), found.headers)
      return true
    })
    return { ...answer, result: { ...result, tools: kept } }
  }

  /**
   * The GET stream of the initialize-based revisions, made of `subscriptions/listen`: list changes
   * the server advertises and the client's resource subscriptions. A listen's filter is fixed once
   * acknowledged, so when the subscriptions change the listen upstream is replaced under the same
   * GET stream; the stream answers once the first listen is acknowledged (at most 2 s), so that
   * what the server publishes after the client's next request is not missed. It ends (and the
   * stream reconnects, standalone-stream.ts) when the server ends the listen.
   */
  async #listen(url: string | URL, init: RequestInit, modern: Modern): Promise<Response> {
    const writer = new EventStreamWriter()
    const closed = new AbortController()
    const end = (): void => closed.abort()
    init.signal?.addEventListener('abort', end, { once: true })
    writer.cancelled.signal.addEventListener('abort', end, { once: true })
    let round = new AbortController()
    let acked = deferred()
    const first = acked.promise
    const renew = (): Promise<void> => {
      const replaced = round
      const before = acked
      round = new AbortController()
      acked = deferred()
      // A round replaced before it started is acknowledged by the one that replaces it.
      void acked.promise.then(before.resolve)
      replaced.abort()
      return acked.promise
    }
    this.#renewListen = renew
    const run = async (): Promise<void> => {
      while (!closed.signal.aborted) {
        const current = round
        const ack = acked
        const stopCurrent = (): void => current.abort()
        closed.signal.addEventListener('abort', stopCurrent, { once: true })
        try {
          await this.#listenRound(url, init, modern, current.signal, ack.resolve, writer)
        } catch (error) {
          if (!current.signal.aborted) this.#options.ondiagnostic(`subscriptions/listen ended: ${error instanceof Error ? error.message : String(error)}`)
        } finally {
          closed.signal.removeEventListener('abort', stopCurrent)
          ack.resolve()
        }
        // Ended by the server, or the GET stream closed: not renewed.
        if (!current.signal.aborted || closed.signal.aborted) return
      }
    }
    void run().finally(() => {
      init.signal?.removeEventListener('abort', end)
      if (this.#renewListen === renew) this.#renewListen = undefined
      writer.close()
    })
    await atMost(first, 2_000)
    return writer.response
  }

  /** One `subscriptions/listen` upstream, with the filter of now, until it ends or `signal` aborts. */
  async #listenRound(url: string | URL, init: RequestInit, modern: Modern, signal: AbortSignal, acknowledged: () => void, writer: EventStreamWriter): Promise<void> {
    const capabilities = (modern.discover.capabilities ?? {}) as Record<string, { listChanged?: unknown } | undefined>
    const filter = {
      ...(capabilities.tools?.listChanged === true ? { toolsListChanged: true } : {}),
      ...(capabilities.prompts?.listChanged === true ? { promptsListChanged: true } : {}),
      ...(capabilities.resources?.listChanged === true ? { resourcesListChanged: true } : {}),
      ...(this.#subscriptions.size > 0 ? { resourceSubscriptions: [...this.#subscriptions] } : {}),
    }
    if (Object.keys(filter).length === 0) {
      acknowledged()
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })))
      return
    }
    const params = { notifications: filter }
    const request = { jsonrpc: '2.0', id: this.#id('listen'), method: 'subscriptions/listen', params: withEnvelope(params, modern.version, modern.client) }
    await this.#exchange(url, init, request, standardHeaders('subscriptions/listen', params, modern.version), signal, (message) => {
      if (message.method === 'notifications/subscriptions/acknowledged') acknowledged()
      else writer.write(message)
    })
  }

  /** POSTs one message of the proxy's own making and returns the answer to it; other messages on its stream go to `other`. */
  async #exchange(url: string | URL, init: RequestInit, request: Message, headers: Record<string, string>, signal: AbortSignal, other?: (message: Message) => void): Promise<Message | undefined> {
    const response = await this.#post(url, init, request, headers, signal)
    if (response.status === 202) return undefined
    for await (const message of messagesOf(response)) {
      if (message.id === request.id && message.method === undefined) return message
      other?.(message)
    }
    return undefined
  }

  #post(url: string | URL, init: RequestInit, message: Message, extra: Record<string, string>, signal: AbortSignal | undefined): Promise<Response> {
    const headers = new Headers(init.headers)
    for (const name of ['mcp-session-id', 'last-event-id', 'mcp-protocol-version']) headers.delete(name)
    headers.set('content-type', 'application/json')
    headers.set('accept', 'application/json, text/event-stream')
    for (const [name, value] of Object.entries(extra)) headers.set(name, value)
    return this.#options.detached(() => this.#options.fetch(url, { method: 'POST', headers, body: JSON.stringify(message), ...(signal ? { signal } : {}) }))
  }

  #id(what: string): string {
    this.#counter += 1
    return `mcp-tray-${what}-${this.#counter}`
  }
}

/** The client's `initialize` answer, from the discovery, in the client's own version. */
function initializeResultFrom(modern: Modern, host: string): Message {
  const { discover, client } = modern
  const meta = (discover._meta ?? {}) as Record<string, unknown>
  const serverInfo = discover.serverInfo ?? meta[SERVER_INFO_META_KEY] ?? { name: host, version: 'unknown' }
  return {
    protocolVersion: client.protocolVersion,
    capabilities: discover.capabilities ?? {},
    serverInfo,
    ...(typeof discover.instructions === 'string' ? { instructions: discover.instructions } : {}),
  }
}

function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

function parseMessage(text: string): Message | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Message) : undefined
  } catch {
    return undefined
  }
}
