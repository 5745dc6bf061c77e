import { AsyncLocalStorage } from 'node:async_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { TrayError } from '../../shared/tray-error'
import { parseBearerChallenge } from '../oauth/www-authenticate'
import { AbortWatch } from './abort-watch'
import { answerWatch, watchedResponse, type AnswerListener } from './answer-watch'
import { ConnectionLostError } from './bounded-body'
import { FetchFailure, type NodeHttpInit } from './node-http-fetch'
import type { ScopeChallenge, TokenSource } from './token-source'
import { stepUpFailure } from './upstream-errors'

/**
 * What the HTTP layer learned while sending one message: filled in by the fetch below, read by
 * the relay for its log event. One record per message, carried by AsyncLocalStorage so that the
 * SDK transports in between need not know about it.
 */
export interface AttemptRecord extends AnswerListener {
  /** Whether the message may be sent again after a 5xx (a read-only request). */
  readonly idempotent: boolean
  /** A request, whose answer comes back on its response: watched for an answer that can no longer come (answer-watch.ts). */
  readonly expectsAnswer?: boolean
  /** Aborted once the client was answered otherwise (timeout, cancel, lost): ends the message's HTTP exchanges, queued ones included. */
  readonly stop?: AbortController
  /** False while its latest attempt waits for a connection, true once one carries it; unknown (undefined) with a fetch that does not say. */
  sent?: boolean
  attempts: number
  status?: number | undefined
  /** The scope a 403 `insufficient_scope` asked for, while MCP Tray signs in again for it. */
  steppingUpFor?: string | undefined
  /** Why the last attempt could not reach the server, while it is tried again: what a timeout then says. */
  lastFailure?: TrayError | undefined
  /** Set once the client has been answered (timeout, cancel): nothing may be replayed for it any more. */
  abandoned?: boolean
}

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 2000 }

export interface UpstreamFetchOptions {
  /** The server's name, for the words of errors (default: the URL's host). */
  readonly server?: string
  readonly tokens: TokenSource
  readonly fetch?: FetchLike
  readonly retry?: RetryPolicy
  readonly attempts: AsyncLocalStorage<AttemptRecord>
  /** For tests: where the jitter comes from. */
  readonly random?: () => number
}

/** Errors raised before the request could have left this machine: safe to try again. */
const unreachedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])
/** This process ran out of file descriptors (EMFILE), or the system did (ENFILE). */
const localLimitCodes = new Set(['EMFILE', 'ENFILE'])
const retryableStatuses = new Set([502, 503, 504])

/**
 * The fetch the SDK transports use upstream. On every request (POST, GET, DELETE) it
 * - puts the bearer token from the TokenSource, and on 401 asks for a fresh one once and replays;
 * - on a 403 `insufficient_scope` to a POST, asks for a token with the challenged scope once
 *   (an interactive sign-in through the hub) and replays, or fails with words saying what to do;
 * - retries, with jittered backoff, failures that happened before the request reached the server
 *   (connection refused, DNS) and never anything that may have reached it;
 * - retries a 502/503/504 only for GETs and read-only requests;
 * - ties a request's HTTP exchanges to its message (`AttemptRecord.stop`), and watches the response
 *   that carries its answer, so that an answer that can no longer come is reported at once
 *   (answer-watch.ts); a broken answer stream the SDK resumes gets one try to come back;
 * - sends what expects no streamed answer (notifications, replies, DELETE) in the reserved lane.
 */
export function createUpstreamFetch(options: UpstreamFetchOptions): FetchLike {
  const base = options.fetch ?? fetch
  const policy = options.retry ?? defaultRetryPolicy
  const random = options.random ?? Math.random

  const backoff = (attempt: number, signal: AbortSignal | null | undefined): Promise<void> => {
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + random() / 2)
    return sleep(delay, undefined, signal ? { signal } : undefined)
  }

  const aborts = new AbortWatch()

  const upstreamFetch = async (url: string | URL, init: NodeHttpInit, record: AttemptRecord | undefined, resuming: boolean): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = new Headers(init.headers)
    let token = await options.tokens.getToken()
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`)
    let refreshed = false
    let steppedUp = false
    let attempt = 0
    for (;;) {
      // The client was answered meanwhile (timeout, cancel) while this waited (a session gate, a
      // sign-in, a back-off): it was told the request failed, so it must not reach the server now.
      if (record?.abandoned) throw new TrayError('request_abandoned', 'The client stopped waiting for this request, so it was not sent.')
      attempt += 1
      if (record) record.attempts = attempt
      let response: Response
      try {
        response = await base(url, { ...init, headers })
      } catch (error) {
        if (init.signal?.aborted) throw init.signal.reason
        // The stream being resumed just broke: the server is likely gone, and the client waits.
        if (!resuming && attempt < policy.attempts && notSent(error)) {
          const failure = connectionError(error, url, attempt)
          if (record && failure instanceof TrayError) record.lastFailure = failure
          await backoff(attempt, init.signal)
          continue
        }
        throw connectionError(error, url, attempt)
      }
      if (record) record.status = response.status
      // The session's DELETE is a courtesy on the way out: an expired token there is not worth a
      // refresh, which could start a hub (or a sign-in) for a proxy that is exiting.
      if (response.status === 401 && !refreshed && method !== 'DELETE') {
        refreshed = true
        const fresh = await options.tokens.refresh(token ?? '', scopeChallengeOf(response))
        if (fresh !== undefined && fresh !== token) {
          await response.body?.cancel()
          token = fresh
          headers.set('authorization', `Bearer ${token}`)
          continue
        }
      }
      if (response.status === 403 && method === 'POST') {
        const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))
        if (challenge?.error === 'insufficient_scope') {
          await response.body?.cancel()
          if (steppedUp) throw stepUpFailure(options.server ?? new URL(url).host, challenge, 'the server still refused the request with the new token')
          steppedUp = true
          token = await stepUp(options.server ?? new URL(url).host, options.tokens, record, token, challenge)
          headers.set('authorization', `Bearer ${token}`)
          // MCP 2025-11-25 authorization, scope challenge handling: after a step-up the client
          // retries the original request. RFC 6750 §3.1: a 403 `insufficient_scope` means the
          // resource server refused the request for want of privileges, so it did not act on it:
          // replaying it, even a tools/call, cannot run it twice.
          continue
        }
      }
      const idempotent = method === 'GET' || (method === 'POST' && record?.idempotent === true)
      if (retryableStatuses.has(response.status) && idempotent && attempt < policy.attempts && !init.signal?.aborted) {
        await response.body?.cancel()
        await backoff(attempt, init.signal)
        continue
      }
      return response
    }
  }

  return async (url, init = {}) => {
    const record = options.attempts.getStore()
    const method = (init.method ?? 'GET').toUpperCase()
    // The client was answered: the SDK resuming the answer's stream gets "no stream offered", which ends its retries quietly.
    if (record?.abandoned && method === 'GET') return new Response(null, { status: 405 })
    const lane = record?.expectsAnswer === false || method === 'DELETE' ? { lane: 'reserved' as const } : {}
    if (!record?.expectsAnswer || !record.stop) return upstreamFetch(url, { ...init, ...lane }, record, false)

    const exchange = new AbortController()
    const release = [init.signal, record.stop.signal].map((signal) => (signal ? aborts.watch(signal, (reason) => exchange.abort(reason)) : () => {}))
    const done = (): void => release.forEach((stop) => stop())
    const broken = method === 'GET' && new Headers(init.headers).has('last-event-id') ? record.broken : undefined
    const bodyWatch = answerWatch({ listener: record, stopped: exchange.signal, onsettled: done })
    let response: Response
    try {
      response = await upstreamFetch(url, { ...init, ...lane, signal: exchange.signal, bodyWatch, onsent: (sent) => (record.sent = sent) }, record, broken !== undefined)
    } catch (error) {
      done()
      if (broken === undefined || exchange.signal.aborted) throw error
      // Resuming the broken answer failed: the server went away. "No stream" ends the SDK's retries.
      record.onlost?.(new ConnectionLostError(error))
      return new Response(null, { status: 405 })
    }
    if (broken !== undefined) {
      if (response.ok) record.broken = undefined
      else record.onlost?.(new ConnectionLostError(new Error(`resuming it got HTTP ${response.status}`)))
    }
    const watched = bodyWatch.attached ? response : watchedResponse(response, bodyWatch)
    bodyWatch.arm()
    return watched
  }
}

/** Whether a failed request cannot have reached the server (nothing was sent), so it may be tried again. */
function notSent(error: unknown): boolean {
  if (unreachedCodeOf(error) !== undefined) return true
  return error instanceof FetchFailure && !error.sent && !isTlsCode(causeOf(error)?.code)
}

/** A 401's Bearer challenge: the scope and metadata a first sign-in starts from (MCP AZ scope selection). */
function scopeChallengeOf(response: Response): ScopeChallenge | undefined {
  const challenge = parseBearerChallenge(response.headers.get('www-authenticate'))
  if (!challenge) return undefined
  return { scope: challenge.scope ?? '', ...(challenge.resourceMetadata === undefined ? {} : { resourceMetadata: challenge.resourceMetadata }) }
}

/** One step-up per request; the hub (single flight, at most a few in a row) does the sign-in. */
async function stepUp(
  server: string,
  tokens: TokenSource,
  record: AttemptRecord | undefined,
  stale: string | undefined,
  challenge: { scope?: string; resourceMetadata?: string },
): Promise<string> {
  if (record) record.steppingUpFor = challenge.scope ?? ''
  let fresh: string | undefined
  try {
    fresh = await tokens.stepUp(stale ?? '', {
      scope: challenge.scope ?? '',
      ...(challenge.resourceMetadata === undefined ? {} : { resourceMetadata: challenge.resourceMetadata }),
    })
  } catch (error) {
    throw stepUpFailure(server, challenge, error)
  } finally {
    if (record) record.steppingUpFor = undefined
  }
  if (fresh === undefined || fresh === stale) throw stepUpFailure(server, challenge, 'no new sign-in was made')
  // The client gave up meanwhile (timeout, cancel): it was told the request failed, so it must not run now.
  if (record?.abandoned) throw stepUpFailure(server, challenge, 'the client stopped waiting before the sign-in finished')
  return fresh
}

function causeOf(error: unknown): (Error & { code?: string }) | undefined {
  const cause = error instanceof Error ? error.cause : undefined
  return cause instanceof Error ? (cause as Error & { code?: string }) : undefined
}

function unreachedCodeOf(error: unknown): string | undefined {
  const code = causeOf(error)?.code
  return code !== undefined && unreachedCodes.has(code) ? code : undefined
}

function isTlsCode(code: string | undefined): boolean {
  return code !== undefined && (/CERT|SSL|TLS/.test(code) || code === 'DEPTH_ZERO_SELF_SIGNED_CERT')
}

/** Turns a failed fetch into words a person can act on. */
function connectionError(error: unknown, url: string | URL, attempts: number): Error {
  if (error instanceof Error && error.name === 'AbortError') return error
  const host = new URL(url).host
  const cause = causeOf(error)
  const code = cause?.code
  const tries = attempts > 1 ? ` (tried ${attempts} times)` : ''
  if (code === 'ECONNREFUSED') {
    return new TrayError('upstream_refused', `Could not connect to ${host}: the connection was refused${tries}.`, {
      hint: 'Is the server running, and is the URL right?',
      cause: error,
    })
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new TrayError('upstream_dns', `Could not find the server ${host}: the name did not resolve${tries}.`, {
      hint: 'Check the URL and your network connection.',
      cause: error,
    })
  }
  if (code !== undefined && unreachedCodes.has(code)) {
    return new TrayError('upstream_unreachable', `Could not reach ${host} (${code})${tries}.`, {
      hint: 'Check your network connection and whether the server is up.',
      cause: error,
    })
  }
  if (isTlsCode(code)) {
    return new TrayError('upstream_tls', `The secure connection to ${host} failed: ${cause?.message ?? code}.`, {
      hint: 'The server’s certificate is not trusted here; check the URL, or the system’s certificate store.',
      cause: error,
    })
  }
  if (code !== undefined && localLimitCodes.has(code)) {
    return new TrayError('upstream_local_limit', `MCP Tray could not open a connection to ${host}: ${code === 'EMFILE' ? 'this process has' : 'this system has'} too many files open (${code})${tries}. The request was not sent.`, {
      hint: 'Close some programs or connections, or raise the open-file limit (`ulimit -n`), then try again.',
      cause: error,
    })
  }
  if (notSent(error)) {
    return new TrayError('upstream_not_sent', `Could not open a connection to ${host}: ${cause?.message ?? describe(error)}${tries}. The request was not sent.`, {
      hint: 'Check your network connection and whether the server is up, then try again.',
      cause: error,
    })
  }
  // It may have reached the server: the relay says so in words that name the request.
  return new ConnectionLostError(error)
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
