import { TrayError } from '../../shared/tray-error'
import { findEndpoint } from './endpoint-probe'
import { doctorHint, failureError, wordsForFailure, type FailureSubject } from './failure-words'
import { classifyInitializeAnswer, initializeMessage, postMcp } from './mcp-exchange'

/** Diagnoses the words already pin down: a second look at the server would say nothing new. */
const settled = new Set([
  'connection-refused',
  'dns-failed',
  'connect-timeout',
  'tls-unknown-ca',
  'tls-expired',
  'tls-hostname-mismatch',
  'proxy-refused',
  'proxy-unreachable',
  'resource-rejected',
  'redirect-uri-rejected',
  'invalid-client',
  'resource-mismatch',
  'no-pkce-s256',
])

/**
 * Failures a wrong URL or a server that is down also produce: discovery and registration that
 * found nothing (a 404 at a guessed /register reads as a refused registration), and errors with
 * no words of their own (`fetch failed`, passed on by the hub as `hub_internal`).
 */
const lookAgainCodes = new Set([
  'hub_internal',
  'registration_failed',
  'registration_unavailable',
  'as_metadata_not_found',
  'no_authorization_server',
  'resource_metadata_invalid',
  'server_unreachable',
])

export interface ExplainOptions {
  readonly fetch?: typeof fetch
  /** Bound on the second look (default 5 s). */
  readonly timeoutMs?: number
}

/**
 * A sign-in or connection failure in the words every surface uses, after a quick, bounded look
 * at the server when the failure alone could mislead: a server that is down is said to be down
 * (not "fetch failed"), and a URL with no MCP endpoint behind it names the path that has one
 * (not "the server refused dynamic registration", which is what a 404 at /register reads as).
 */
export async function explainFailure(error: unknown, subject: FailureSubject & { readonly url: string }, options: ExplainOptions = {}): Promise<TrayError> {
  const words = wordsForFailure(error, subject)
  if (words.diagnosis && settled.has(words.diagnosis)) return failureError(error, subject)
  if (error instanceof TrayError && !lookAgainCodes.has(error.code)) return failureError(error, subject)
  const fetchImpl = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 5_000
  const signal = AbortSignal.timeout(timeoutMs)
  const url = new URL(subject.url)
  let answer
  try {
    answer = classifyInitializeAnswer(await postMcp(fetchImpl, url, initializeMessage(), { signal }))
  } catch (cause) {
    // The server cannot be reached at all: that, not the step that stumbled on it, is the news.
    if (signal.aborted) return failureError(error, subject)
    return failureError(cause, subject)
  }
  if (answer.kind !== 'not-mcp') return failureError(error, subject)
  const found = await findEndpoint(url, { fetch: fetchImpl, signal, httpMs: timeoutMs }).catch(() => undefined)
  const target = subject.server ?? subject.url
  const why = answer.why === 'web-page' ? 'a web page' : answer.why === 'redirect' ? `a redirect (HTTP ${answer.status})` : `HTTP ${answer.status}`
  if (found) {
    return new TrayError('not_mcp_endpoint', `There is no MCP endpoint at ${url.href} (it answers with ${why}); ${found.url.href} is one.`, {
      hint: `Use ${found.url.href} as the server’s URL. ${doctorHint(target)}`,
      cause: error,
    })
  }
  return new TrayError('not_mcp_endpoint', `There is no MCP endpoint at ${url.href} (it answers with ${why}), nor at the usual paths.`, {
    hint: `Check the server’s documentation for its MCP URL. ${doctorHint(target)}`,
    cause: error,
  })
}
