import { failureOutcomes, type LogDirection, type LogEvent, type LogQuery } from '../../../shared/log-model'

/** What the Live log's filter bar narrows the rows to; the same meaning as the hub's `LogQuery`. */
export interface LogFilter {
  readonly server?: string
  readonly method?: string
  readonly tool?: string
  readonly direction?: LogDirection
  readonly errorsOnly?: boolean
  readonly text?: string
}

export const noLogFilter: LogFilter = {}

/** Whether an event passes the filter, as `queryLogs` would decide it. */
export function matchesLogFilter(event: LogEvent, filter: LogFilter): boolean {
  if (filter.server !== undefined && event.server !== filter.server) return false
  if (filter.method !== undefined && event.method !== filter.method) return false
  if (filter.tool !== undefined && event.tool !== filter.tool) return false
  if (filter.direction !== undefined && event.direction !== filter.direction) return false
  if (filter.errorsOnly && !failureOutcomes.includes(event.outcome)) return false
  if (filter.text) {
    const needle = filter.text.toLowerCase()
    const haystacks = [event.method, event.tool, event.id === undefined || event.id === null ? undefined : String(event.id), event.session, event.preview]
    if (!haystacks.some((text) => text !== undefined && text.toLowerCase().includes(needle))) return false
  }
  return true
}

/** The hub query for the same rows (to export what the page shows). */
export function logQueryOf(filter: LogFilter): LogQuery {
  return {
    ...(filter.server === undefined ? {} : { server: filter.server }),
    ...(filter.method === undefined ? {} : { method: filter.method }),
    ...(filter.tool === undefined ? {} : { tool: filter.tool }),
    ...(filter.direction === undefined ? {} : { direction: filter.direction }),
    ...(filter.errorsOnly ? { errorsOnly: true } : {}),
    ...(filter.text ? { text: filter.text } : {}),
  }
}

export function isFiltered(filter: LogFilter): boolean {
  return Object.keys(logQueryOf(filter)).length > 0
}
