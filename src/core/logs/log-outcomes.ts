import type { LogEvent } from './log-event'

/**
 * What a log event counts as. The status board, the diagnostics and the log's filters all read
 * events through these, so that the counts a person sees agree with the rows the log shows.
 */

/** A request the client sent upstream (whether or not it got through). */
export function isClientRequest(event: LogEvent): boolean {
  return event.direction === 'to-server' && event.kind === 'request' && event.outcome !== 'rejected'
}

/** What the client got for one of its requests: the server's answer, or the proxy's error in its place. */
export function isAnswer(event: LogEvent): boolean {
  return event.direction === 'to-client' && (event.kind === 'response' || event.kind === 'error') && event.outcome !== 'late'
}

/** An answer that came from the server itself (a result, a tool error or a JSON-RPC error). */
export function isServerAnswer(event: LogEvent): boolean {
  return isAnswer(event) && (event.outcome === 'ok' || event.outcome === 'tool-error' || event.outcome === 'error')
}

/**
 * One error: an answer that failed (a JSON-RPC error, a tool error, a request the proxy could not
 * deliver or stopped waiting for), a line the proxy refused, a notification it could not deliver,
 * or trouble it reports itself (a dropped event stream, log events dropped). A request that
 * fails is counted once, by its answer.
 */
export function isError(event: LogEvent): boolean {
  switch (event.outcome) {
    case 'error':
    case 'tool-error':
    case 'timeout':
      return isAnswer(event) || event.kind === 'proxy'
    case 'failed':
      return isAnswer(event) || (event.direction === 'to-server' && event.kind === 'notification')
    case 'rejected':
      return true
    default:
      return false
  }
}

/** HTTP attempts beyond the first that the event's message took (retries). */
export function retriesOf(event: LogEvent): number {
  if (event.outcome === 'retried') return 1
  return event.direction === 'to-server' && event.attempt !== undefined && event.attempt > 1 ? event.attempt - 1 : 0
}
