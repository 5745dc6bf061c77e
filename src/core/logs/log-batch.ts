import { TrayError } from '../../shared/tray-error'
import type { LogDirection, LogEvent, LogKind, LogOutcome } from './log-event'
import { redactText } from './redaction'

/**
 * What a proxy sends the hub with the `logs` method: its server and the events since its last
 * batch (possibly none: the first batch tells the hub the proxy is there).
 */
export interface LogBatch {
  readonly server: string
  readonly events: readonly LogEvent[]
}

/** Bounds on one batch: proxies send at most 200 events, so these only stop hostile input. */
export const logBatchLimits = {
  events: 1000,
  serverChars: 200,
  fieldChars: 500,
  previewChars: 4000,
} as const

const directions: ReadonlySet<LogDirection> = new Set(['to-server', 'to-client'])
const kinds: ReadonlySet<LogKind> = new Set(['request', 'notification', 'response', 'error', 'proxy'])
const outcomes: ReadonlySet<LogOutcome> = new Set<LogOutcome>([
  'sent', 'delivered', 'ok', 'error', 'tool-error', 'failed', 'timeout', 'late', 'retried', 'recovered', 'rejected', 'closed',
])

/**
 * Checks a batch as it came off the socket and returns a copy with only the known fields, so a
 * file or a dashboard never holds anything a proxy did not mean to log. Throws `hub_bad_request`
 * naming the first thing wrong.
 */
export function parseLogBatch(params: unknown): LogBatch {
  if (!isRecord(params)) throw badBatch('it is not an object')
  const { server, events } = params
  if (!isText(server, logBatchLimits.serverChars) || server === '') {
    throw badBatch(`"server" must be a name of 1 to ${logBatchLimits.serverChars} characters`)
  }
  if (!Array.isArray(events)) throw badBatch('"events" must be an array')
  if (events.length > logBatchLimits.events) throw badBatch(`it holds ${events.length} events, more than ${logBatchLimits.events}`)
  const parsed = events.map((event, index) => parseEvent(event, server, index))
  return { server, events: parsed }
}

function parseEvent(value: unknown, server: string, index: number): LogEvent {
  const where = `event ${index}`
  if (!isRecord(value)) throw badBatch(`${where} is not an object`)
  const { time, direction, kind, outcome } = value
  if (typeof time !== 'string' || time.length > 40 || Number.isNaN(Date.parse(time))) throw badBatch(`${where} has no valid "time"`)
  if (value.server !== server) throw badBatch(`${where} is for another server than the batch`)
  if (!directions.has(direction as LogDirection)) throw badBatch(`${where} has no known "direction"`)
  if (!kinds.has(kind as LogKind)) throw badBatch(`${where} has no known "kind"`)
  if (!outcomes.has(outcome as LogOutcome)) throw badBatch(`${where} has no known "outcome"`)
  const event: Record<string, unknown> = { time, server, direction, kind, outcome }
  for (const field of ['session', 'method', 'tool', 'revision'] as const) {
    const item = value[field]
    if (item === undefined) continue
    if (!isText(item, logBatchLimits.fieldChars)) throw badBatch(`${where} has a "${field}" that is not a short string`)
    event[field] = item
  }
  if (value.id !== undefined) {
    const id = value.id
    if (!(id === null || isText(id, logBatchLimits.fieldChars) || (typeof id === 'number' && Number.isFinite(id)))) {
      throw badBatch(`${where} has an "id" that is not a JSON-RPC id`)
    }
    event.id = id
  }
  for (const field of ['bytes', 'latencyMs', 'httpStatus', 'attempt', 'pid'] as const) {
    const item = value[field]
    if (item === undefined) continue
    if (!isCount(item)) throw badBatch(`${where} has a "${field}" that is not a whole number`)
    event[field] = item
  }
  if (value.preview !== undefined) {
    if (!isText(value.preview, logBatchLimits.previewChars)) throw badBatch(`${where} has a "preview" that is not a string of at most ${logBatchLimits.previewChars} characters`)
    // Proxies redact their previews; the hub does it again before keeping or showing one.
    event.preview = redactText(value.preview)
  }
  return event as unknown as LogEvent
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isText(value: unknown, maxChars: number): value is string {
  return typeof value === 'string' && value.length <= maxChars
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function badBatch(reason: string): TrayError {
  return new TrayError('hub_bad_request', `MCP Tray refused a log batch: ${reason}.`, {
    hint: 'The proxy sending it does not match this MCP Tray; update the client entry (`mcp-tray install`) or restart the client.',
  })
}
