import { failureOutcomes, maxLogPage, type LogOutcome, type LogQuery } from '../../shared/log-model'
import type { LogEvent } from './log-event'

/** Events a query returns when it does not say how many. */
export const defaultLogPage = 1000

/** A log query made ready to run: its bounds normalised, its text lowered once. */
export interface CompiledLogQuery {
  readonly server: string | undefined
  readonly limit: number
  readonly beforeSeq: number | undefined
  /** Inclusive ISO 8601 bounds in the form events carry (`toISOString`), so strings compare as times. */
  readonly since: string | undefined
  readonly until: string | undefined
  /** The lowered search words, when the query has them. */
  readonly text: string | undefined
  /** Whether the event passes every filter except `beforeSeq`. */
  matches(event: LogEvent): boolean
}

/**
 * Turns a page's query into a predicate. Unknown or odd values narrow nothing rather than fail:
 * the dashboard service has checked the query's shape already.
 */
export function compileLogQuery(query: LogQuery): CompiledLogQuery {
  const limit = Math.max(1, Math.min(maxLogPage, Math.floor(query.limit ?? defaultLogPage) || defaultLogPage))
  const since = isoBound(query.since)
  const until = isoBound(query.until)
  const text = query.text?.trim() ? query.text.trim().toLowerCase() : undefined
  let outcomes: ReadonlySet<LogOutcome> | undefined = query.outcomes && query.outcomes.length > 0 ? new Set(query.outcomes) : undefined
  if (query.errorsOnly) {
    const failures = new Set<LogOutcome>(failureOutcomes)
    outcomes = outcomes ? new Set([...outcomes].filter((outcome) => failures.has(outcome))) : failures
  }
  const { server, method, tool, direction } = query
  const hasText = text === undefined ? undefined : textMatcher(text)
  const matches = (event: LogEvent): boolean =>
    (server === undefined || event.server === server) &&
    (method === undefined || event.method === method) &&
    (tool === undefined || event.tool === tool) &&
    (direction === undefined || event.direction === direction) &&
    (outcomes === undefined || outcomes.has(event.outcome)) &&
    (since === undefined || event.time >= since) &&
    (until === undefined || event.time <= until) &&
    (hasText === undefined || hasText(event))
  return {
    server,
    limit,
    beforeSeq: typeof query.beforeSeq === 'number' && !Number.isNaN(query.beforeSeq) ? query.beforeSeq : undefined,
    since,
    until,
    text,
    matches,
  }
}

/** Whether the lowered words appear in an event's method, tool, id, session or preview. */
function textMatcher(lowered: string): (event: LogEvent) => boolean {
  // ASCII words: a case-insensitive search finds them without lowering every field first.
  const pattern = /^[\x20-\x7e]+$/.test(lowered) ? new RegExp(lowered.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : undefined
  const includes = pattern
    ? (value: string | undefined) => value !== undefined && pattern.test(value)
    : (value: string | undefined) => value !== undefined && value.toLowerCase().includes(lowered)
  return (event) =>
    includes(event.method) ||
    includes(event.tool) ||
    (event.id !== undefined && event.id !== null && includes(String(event.id))) ||
    includes(event.session) ||
    includes(event.preview)
}

/** `2026-01-01T10:00Z` or `…+02:00` → `2026-01-01T08:00:00.000Z`; undefined when absent or not a time. */
function isoBound(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}
