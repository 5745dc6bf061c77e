import { AsyncLocalStorage } from 'node:async_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js'
import { TrayError } from '../../shared/tray-error'
import type { TokenSource } from './token-source'

/**
 * What the HTTP layer learned while sending one message: filled in by the fetch below, read by
 * the relay for its log event. One record per message, carried by AsyncLocalStorage so that the
 * SDK transports in between need not know about it.
 */
export interface AttemptRecord {
  /** Whether the message may be sent again after a 5xx (a read-only request). */
  readonly idempotent: boolean
  attempts: number
  status?: number | undefined
}

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 2000 }

export interface UpstreamFetchOptions {
  readonly tokens: TokenSource
  readonly fetch?: FetchLike
  readonly retry?: RetryPolicy
  readonly attempts: AsyncLocalStorage<AttemptRecord>
  /** For tests: where the jitter comes from. */
  readonly random?: () => number
}

/** Errors raised before the request could have left this machine: safe to try again. */
const unreachedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])
const retryableStatuses = new Set([502, 503, 504])

/**
 * The fetch the SDK transports use upstream. On every request (POST, GET, DELETE) it
 * - puts the bearer token from the TokenSource, and on 401 asks for a fresh one once and replays;
 * - retries, with jittered backoff, failures that happened before the request reached the server
 *   (connection refused, DNS) and never anything that may have reached it;
 * - retries a 502/503/504 only for GETs and read-only requests.
 */
export function createUpstreamFetch(options: UpstreamFetchOptions): FetchLike {
  const base = options.fetch ?? fetch
  const policy = options.retry ?? defaultRetryPolicy
  const random = options.random ?? Math.random

  const backoff = (attempt: number, signal: AbortSignal | null | undefined): Promise<void> => {
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + random() / 2)
    return sleep(delay, undefined, signal ? { signal } : undefined)
  }

  return async (url, init = {}) => {
    const record = options.attempts.getStore()
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = new Headers(init.headers)
    let token = await options.tokens.getToken()
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`)
    let refreshed = false
    let attempt = 0
    for (;;) {
      attempt += 1
      if (record) record.attempts = attempt
      let response: Response
      try {
        response = await base(url, { ...init, headers })
      } catch (error) {
        if (attempt < policy.attempts && !init.signal?.aborted && unreachedCodeOf(error) !== undefined) {
          await backoff(attempt, init.signal)
          continue
        }
        throw connectionError(error, url, attempt)
      }
      if (record) record.status = response.status
      if (response.status === 401 && !refreshed) {
        refreshed = true
        const fresh = await options.tokens.refresh(token ?? '')
        if (fresh !== undefined && fresh !== token) {
          await response.body?.cancel()
          token = fresh
          headers.set('authorization', `Bearer ${token}`)
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
  return new TrayError('upstream_connection', `The connection to ${host} failed: ${cause?.message ?? describe(error)}.`, {
    hint: 'The request may have reached the server, so MCP Tray did not send it again. Try again in a moment.',
    cause: error,
  })
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
