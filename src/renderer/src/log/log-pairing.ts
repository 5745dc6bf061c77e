import type { LogEvent } from '../../../shared/log-model'

/**
 * Request and answer of one JSON-RPC exchange, as the Live log pairs them: the same server and
 * id, opposite directions, and the same relaying process and session where both are known (two
 * proxies, as Claude Desktop often starts, each number their requests from 1; an `initialize`
 * request has no session yet while its answer names it).
 */
export function isRequest(event: LogEvent): boolean {
  return event.kind === 'request'
}

export function isAnswer(event: LogEvent): boolean {
  return event.kind === 'response' || event.kind === 'error'
}

function sameExchange(request: LogEvent, answer: LogEvent): boolean {
  if (request.id === undefined || request.id === null || request.id !== answer.id) return false
  if (request.server !== answer.server || request.direction === answer.direction) return false
  if (request.pid !== undefined && answer.pid !== undefined && request.pid !== answer.pid) return false
  if (request.session !== undefined && answer.session !== undefined && request.session !== answer.session) return false
  return true
}

/**
 * The index in `items` (oldest first) of the other half of the exchange `items[index]` belongs
 * to: the first answer after a request, the last request before an answer; -1 when there is none.
 */
export function partnerIndex<T>(items: ArrayLike<T>, index: number, eventOf: (item: T) => LogEvent): number {
  const item = items[index]
  if (item === undefined) return -1
  const event = eventOf(item)
  if (isRequest(event)) {
    for (let i = index + 1; i < items.length; i++) {
      const candidate = eventOf(items[i]!)
      if (isAnswer(candidate) && sameExchange(event, candidate)) return i
      // The same id asked again in the same exchange means this request went unanswered.
      if (isRequest(candidate) && candidate.id === event.id && candidate.server === event.server && candidate.direction === event.direction && candidate.session === event.session && candidate.pid === event.pid) return -1
    }
    return -1
  }
  if (isAnswer(event)) {
    for (let i = index - 1; i >= 0; i--) {
      const candidate = eventOf(items[i]!)
      if (isRequest(candidate) && sameExchange(candidate, event)) return i
    }
  }
  return -1
}
