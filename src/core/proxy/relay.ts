import { AsyncLocalStorage } from 'node:async_hooks'
import type { Readable, Writable } from 'node:stream'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { logBatchLimits } from '../logs/log-batch'
import type { LogEvent, LogSink } from '../logs/log-event'
import { redactedPreview, redactText } from '../logs/redaction'
import { describeError, TrayError } from '../../shared/tray-error'
import {
  errorResponse,
  idKey,
  isIdempotentMethod,
  notifiedProgressTokenOf,
  progressTokenOf,
  rpcIdOf,
  rpcKindOf,
  rpcMethodOf,
  type RpcId,
} from './json-rpc'
import { StdioLines } from './stdio-lines'
import type { TokenSource } from './token-source'
import { deliveryError, timeoutError } from './upstream-errors'
import { createUpstreamFetch, type AttemptRecord, type RetryPolicy } from './upstream-fetch'
import { UpstreamSession, type UpstreamNotice } from './upstream-session'

export interface RelayOptions {
  /** The remote MCP endpoint. */
  readonly url: URL
  /** The server's name in logs and error messages. */
  readonly server: string
  readonly input: Readable
  readonly output: Writable
  /** Where diagnostics go (stderr): never the protocol stream. */
  readonly diagnostics: Writable
  readonly tokens: TokenSource
  readonly sink: LogSink
  /** Per-request timeout (default 60 s). */
  readonly timeoutMs?: number
  readonly maxLineBytes?: number
  readonly fetch?: FetchLike
  readonly retry?: RetryPolicy
}

interface Pending {
  readonly id: RpcId
  readonly method: string
  /** For `tools/call`: the tool, so that every row of the call names it. */
  readonly tool: string | undefined
  readonly started: number
  readonly progressToken: RpcId | undefined
  /** What the HTTP layer does for it (attempts, a step-up sign-in under way). */
  readonly record: AttemptRecord
  timer: NodeJS.Timeout
}

export const defaultTimeoutMs = 60_000

/**
 * A proxy: the stdio side's messages go to the remote session and the remote session's messages
 * come back, unchanged. What the relay adds is only what keeps a client from hanging or being
 * misled: timeouts that answer, errors in words, a log event per message.
 */
export class Relay {
  readonly #options: RelayOptions
  readonly #timeoutMs: number
  readonly #client: StdioLines
  readonly #upstream: UpstreamSession
  readonly #attempts = new AsyncLocalStorage<AttemptRecord>()
  readonly #pending = new Map<string, Pending>()
  #closing: Promise<void> | undefined
  #resolveDone!: (reason: string) => void
  /** Resolves, with the reason, once the relay has shut down. */
  readonly done = new Promise<string>((resolve) => {
    this.#resolveDone = resolve
  })

  constructor(options: RelayOptions) {
    this.#options = options
    this.#timeoutMs = options.timeoutMs ?? defaultTimeoutMs
    this.#client = new StdioLines({ input: options.input, output: options.output, maxLineBytes: options.maxLineBytes })
    this.#upstream = new UpstreamSession({
      url: options.url,
      fetch: createUpstreamFetch({ server: options.server, tokens: options.tokens, fetch: options.fetch, retry: options.retry, attempts: this.#attempts }),
      onmessage: (message) => this.#fromServer(message),
      onerror: (error) => {
        // The end of an exchange the relay stopped itself (the client was answered): not trouble.
        if (!(error instanceof TrayError && error.code === 'request_abandoned')) this.#diagnose(describeError(error))
      },
      onnotice: (notice) => {
        this.#diagnose(notice.message)
        this.#log({ direction: 'to-server', kind: 'proxy', method: notice.what, outcome: noticeOutcome(notice.what), preview: redactText(notice.message), session: notice.session, ...(notice.revision === undefined ? {} : { revision: notice.revision }) })
      },
      detached: (work) => this.#attempts.exit(work),
    })
  }

  start(): void {
    this.#client.onmessage = (message, bytes) => void this.#fromClient(message, bytes)
    this.#client.onrejected = (line) => {
      this.#diagnose(`skipped a line from the client (${line.reason}, ${line.bytes} bytes)`)
      this.#log({ direction: 'to-server', kind: 'error', outcome: 'rejected', bytes: line.bytes, preview: `${line.reason}: ${redactedPreview(line.preview)}` })
    }
    this.#client.onclose = (reason) => void this.close(reason)
    this.#client.start()
  }

  /** Stops relaying: ends the upstream session (DELETE) and the log. Safe to call more than once. */
  close(reason = 'closed'): Promise<void> {
    this.#closing ??= (async () => {
      for (const pending of this.#pending.values()) clearTimeout(pending.timer)
      this.#pending.clear()
      this.#client.close()
      // Whatever answers 401 from here on (the stream, the DELETE) must not start a hub or a sign-in.
      this.#options.tokens.close?.()
      await this.#upstream.close()
      await this.#options.sink.close?.()
      this.#resolveDone(reason)
    })()
    return this.#closing
  }

  async #fromClient(message: JSONRPCMessage, bytes: number): Promise<void> {
    const kind = rpcKindOf(message)!
    const method = rpcMethodOf(message)
    const id = rpcIdOf(message)
    const tool = toolOf(method, message)
    const request = kind === 'request' && id !== undefined && method !== undefined
    const record: AttemptRecord = { idempotent: isIdempotentMethod(method), attempts: 0, expectsAnswer: request, ...(request ? { stop: new AbortController() } : {}) }
    if (request) this.#track(id, method, tool, progressTokenOf(message), record)
    if (method === 'notifications/cancelled') this.#forgetCancelled(message)
    try {
      await this.#attempts.run(record, () => this.#upstream.send(message))
      this.#log({ direction: 'to-server', kind, method, tool, id, bytes, httpStatus: record.status, attempt: record.attempts, outcome: 'sent', preview: redactedPreview(message) })
    } catch (error) {
      this.#log({ direction: 'to-server', kind, method, tool, id, bytes, httpStatus: record.status, attempt: record.attempts, outcome: 'failed', preview: redactText(describeError(error)) })
      if (kind !== 'request' || id === undefined) {
        this.#diagnose(`could not deliver ${method ?? kind}: ${describeError(error)}`)
        return
      }
      const pending = this.#untrack(id)
      if (!pending) return
      // A request that got an HTTP answer reached the server; one that failed to connect did not.
      const mayHaveRun = record.status !== undefined
      this.#answer(pending, deliveryError(error, this.#failed(pending), mayHaveRun), 'failed')
    }
  }

  #fromServer(message: JSONRPCMessage): void {
    const kind = rpcKindOf(message) ?? 'notification'
    const id = rpcIdOf(message)
    if (kind === 'response' || kind === 'error') {
      const pending = id === undefined ? undefined : this.#untrack(id)
      if (!pending) {
        // Its request timed out or was cancelled: the client was already answered.
        this.#log({ direction: 'to-client', kind, id, outcome: 'late', preview: redactedPreview(message) })
        return
      }
      const bytes = this.#pass(message, pending)
      if (bytes === undefined) return
      const outcome = kind === 'error' ? 'error' : isToolError(pending, message) ? 'tool-error' : 'ok'
      this.#log({ direction: 'to-client', kind, method: pending.method, tool: pending.tool, id, bytes, latencyMs: Date.now() - pending.started, outcome, preview: redactedPreview(message) })
      return
    }
    const token = notifiedProgressTokenOf(message)
    if (token !== undefined) this.#extendForProgress(token)
    const bytes = this.#pass(message)
    if (bytes === undefined) return
    this.#log({ direction: 'to-client', kind, method: rpcMethodOf(message), id, bytes, outcome: 'delivered', preview: redactedPreview(message) })
  }

  /**
   * Writes a server's message to the client; returns its bytes, or undefined when it could not be
   * written (JSON.stringify throws on a message nested too deep), in which case the request it
   * answered gets an error in its place.
   */
  #pass(message: JSONRPCMessage, answers?: Pending): number | undefined {
    try {
      return this.#client.send(message)
    } catch (error) {
      const why = `${this.#options.server} sent a message MCP Tray could not pass on (${describeError(error)})`
      this.#diagnose(`${why}; it was dropped.`)
      if (answers) {
        const failure = new TrayError('upstream_unrelayable', `${why}, in answer to ${answers.method}. It may have run there.`, {
          hint: 'This is a fault in the server’s answer; report it to the server’s maintainers.',
        })
        this.#answer(answers, deliveryError(failure, this.#failed(answers), true), 'failed')
      }
      return undefined
    }
  }

  #track(id: RpcId, method: string, tool: string | undefined, progressToken: RpcId | undefined, record: AttemptRecord): void {
    const pending: Pending = { id, method, tool, started: Date.now(), progressToken, record, timer: undefined as unknown as NodeJS.Timeout }
    pending.timer = this.#timer(pending)
    this.#pending.set(idKey(id), pending)
    // The server went away, or sent an answer too large to read: the client hears it now, not at the timeout.
    record.onlost = (error) => {
      if (this.#pending.get(idKey(id)) !== pending) return
      this.#untrack(id)
      this.#abandon(pending)
      const answer = deliveryError(error, this.#failed(pending), true)
      this.#answer(pending, answer, 'failed')
      this.#diagnose(answer.message)
    }
  }

  /** The client was answered otherwise: whatever HTTP exchange the request still has (queued, sent, being read) ends now. */
  #abandon(pending: Pending): void {
    pending.record.abandoned = true
    pending.record.stop?.abort(new TrayError('request_abandoned', `The client was already answered, so MCP Tray stopped ${pending.method} (id ${pending.id}).`))
  }

  #timer(pending: Pending): NodeJS.Timeout {
    // Outside any message's context: re-armed by a progress notification, the timer would run in
    // that request's, and the cancel it sends would be refused as the abandoned request's own.
    return this.#attempts.exit(() => setTimeout(() => this.#timeOut(pending), this.#timeoutMs))
  }

  #untrack(id: RpcId): Pending | undefined {
    const pending = this.#pending.get(idKey(id))
    if (!pending) return undefined
    clearTimeout(pending.timer)
    pending.record.abandoned = true
    this.#pending.delete(idKey(id))
    return pending
  }

  /** A request that reports progress is alive: its timeout starts again. */
  #extendForProgress(token: RpcId): void {
    for (const pending of this.#pending.values()) {
      if (pending.progressToken === token) {
        clearTimeout(pending.timer)
        pending.timer = this.#timer(pending)
      }
    }
  }

  #forgetCancelled(message: JSONRPCMessage): void {
    const params = (message as { params?: { requestId?: unknown } }).params
    const requestId = params?.requestId
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return
    const pending = this.#untrack(requestId)
    if (pending) this.#abandon(pending)
  }

  #timeOut(pending: Pending): void {
    if (this.#pending.get(idKey(pending.id)) !== pending) return
    this.#pending.delete(idKey(pending.id))
    const notSent = pending.record.sent === false
    this.#abandon(pending)
    const error = timeoutError(this.#failed(pending), this.#timeoutMs, pending.record.steppingUpFor, notSent, pending.record.lastFailure)
    this.#answer(pending, error, 'timeout')
    this.#diagnose(error.message)
    // Still waiting for a connection, it never reached the server: there is nothing to cancel there.
    if (notSent) return
    const cancel = {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: pending.id, reason: `MCP Tray stopped waiting after ${this.#timeoutMs} ms` },
    } as JSONRPCMessage
    this.#upstream.send(cancel).then(
      () => this.#log({ direction: 'to-server', kind: 'notification', method: 'notifications/cancelled', tool: pending.tool, id: pending.id, outcome: 'sent', preview: redactedPreview(cancel) }),
      (failure: unknown) => this.#diagnose(`could not cancel ${pending.method} upstream: ${describeError(failure)}`),
    )
  }

  #failed(pending: Pending) {
    return { server: this.#options.server, method: pending.method, elapsedMs: Date.now() - pending.started }
  }

  #answer(pending: Pending, error: { code: number; message: string; data?: unknown }, outcome: 'timeout' | 'failed'): void {
    const response = errorResponse(pending.id, error)
    const bytes = this.#client.send(response)
    this.#log({ direction: 'to-client', kind: 'error', method: pending.method, tool: pending.tool, id: pending.id, bytes, latencyMs: Date.now() - pending.started, outcome, preview: redactText(error.message) })
  }

  #log(event: Omit<LogEvent, 'time' | 'server' | 'session' | 'pid'> & { session?: string | undefined }): void {
    this.#options.sink.write({ time: new Date().toISOString(), server: this.#options.server, session: this.#upstream.sessionId, ...event, pid: process.pid })
  }

  #diagnose(text: string): void {
    // stderr lands in the client's own log files: redact as the log store does.
    const line = redactText(text).replace(/\s+/g, ' ').trim()
    const short = line.length > 300 ? `${line.slice(0, 299)}…` : line
    this.#options.diagnostics.write(`mcp-tray proxy (${this.#options.server}): ${short}\n`)
  }
}

/** The tool a `tools/call` names, cut to what the hub keeps of a field. */
function toolOf(method: string | undefined, message: JSONRPCMessage): string | undefined {
  if (method !== 'tools/call') return undefined
  const name = (message as { params?: { name?: unknown } }).params?.name
  return typeof name === 'string' ? name.slice(0, logBatchLimits.fieldChars) : undefined
}

/** A `tools/call` the server answered with `isError: true`: the tool ran and failed (MCP server/tools, error handling). */
function isToolError(pending: Pending, message: JSONRPCMessage): boolean {
  return pending.method === 'tools/call' && (message as { result?: { isError?: unknown } }).result?.isError === true
}

/** A dropped event stream is trouble (nothing the server sends on its own arrives until it is back). */
function noticeOutcome(what: UpstreamNotice['what']): LogEvent['outcome'] {
  return what === 'session-recovered' ? 'recovered' : what === 'session-closed' ? 'closed' : what === 'stream-lost' ? 'error' : 'ok'
}
