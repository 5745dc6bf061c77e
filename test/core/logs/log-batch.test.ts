import { describe, expect, it } from 'vitest'
import { logBatchLimits, parseLogBatch } from '../../../src/core/logs/log-batch'
import type { LogEvent } from '../../../src/core/logs/log-event'

const event: LogEvent = { time: '2026-01-01T00:00:00.000Z', server: 's', direction: 'to-server', kind: 'request', method: 'tools/call', id: 1, bytes: 12, outcome: 'sent', preview: '{}' }

describe('parseLogBatch', () => {
  it('keeps a valid batch, and only the fields an event has', () => {
    const batch = parseLogBatch({ server: 's', events: [{ ...event, extra: 'x'.repeat(10_000), __proto__: { polluted: true } }] })
    expect(batch).toEqual({ server: 's', events: [event] })
    expect(parseLogBatch({ server: 's', events: [] })).toEqual({ server: 's', events: [] })
  })

  it('keeps the tool a call names, the relaying process and a tool error, and drops a seq only the hub gives', () => {
    const toolError: LogEvent = { ...event, direction: 'to-client', kind: 'response', tool: 'fail', outcome: 'tool-error', latencyMs: 3, pid: 4242 }
    expect(parseLogBatch({ server: 's', events: [{ ...toolError, seq: 99 }] }).events).toEqual([toolError])
    expect(() => parseLogBatch({ server: 's', events: [{ ...event, tool: 'x'.repeat(logBatchLimits.fieldChars + 1) }] })).toThrow(/"tool"/)
    expect(() => parseLogBatch({ server: 's', events: [{ ...event, pid: -1 }] })).toThrow(/"pid"/)
  })

  it('masks a credential a proxy left in a preview before the hub keeps it', () => {
    const leaky = { ...event, preview: '{"headers":"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature"}' }
    const [kept] = parseLogBatch({ server: 's', events: [leaky] }).events
    expect(kept!.preview).not.toContain('eyJhbGciOiJIUzI1NiJ9')
    expect(kept!.preview).toContain('[redacted]')
  })

  it.each([
    ['not an object', 'nope', /not an object/],
    ['no server', { events: [] }, /"server"/],
    ['a huge server name', { server: 'x'.repeat(201), events: [] }, /"server"/],
    ['events not an array', { server: 's', events: {} }, /"events"/],
    ['too many events', { server: 's', events: Array.from({ length: logBatchLimits.events + 1 }, () => event) }, /more than 1000/],
    ['an event for another server', { server: 's', events: [{ ...event, server: 'other' }] }, /event 0 is for another server/],
    ['a bad time', { server: 's', events: [{ ...event, time: 'yesterday' }] }, /"time"/],
    ['an unknown outcome', { server: 's', events: [event, { ...event, outcome: 'pwned' }] }, /event 1 .*"outcome"/],
    ['an object as id', { server: 's', events: [{ ...event, id: { a: 1 } }] }, /"id"/],
    ['a negative size', { server: 's', events: [{ ...event, bytes: -1 }] }, /"bytes"/],
    ['a huge preview', { server: 's', events: [{ ...event, preview: 'x'.repeat(logBatchLimits.previewChars + 1) }] }, /"preview"/],
  ])('refuses %s with a hub_bad_request that says what is wrong', (_what, params, reason) => {
    let error: unknown
    try {
      parseLogBatch(params)
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'hub_bad_request', message: expect.stringMatching(reason), hint: expect.any(String) })
  })
})
