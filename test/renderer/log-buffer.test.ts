import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LogEvent } from '../../src/shared/log-model'
import { LogBuffer } from '../../src/renderer/src/log/log-buffer'
import { matchesLogFilter, type LogFilter } from '../../src/renderer/src/log/log-filter'

let clock = Date.parse('2026-03-04T10:00:00Z')
function event(seq: number, overrides: Partial<LogEvent> = {}): LogEvent {
  clock += 10
  return { seq, time: new Date(clock).toISOString(), server: 'alpha', direction: 'to-server', kind: 'request', method: 'tools/call', id: seq, outcome: 'sent', ...overrides }
}

describe('the Live log buffer', () => {
  it('keeps each hub event once, however many times a reload and the stream deliver it', () => {
    const buffer = new LogBuffer(100)
    buffer.append([event(1), event(2), event(3)])
    buffer.append([event(2), event(3), event(4)])
    buffer.reset([event(3), event(4)])
    buffer.append([event(4), event(5)])
    expect(buffer.visible.map((row) => row.event.seq)).toEqual([3, 4, 5])
  })

  it('drops the oldest rows past its capacity and counts the visible ones dropped, so a paused view keeps its place', () => {
    const buffer = new LogBuffer(5)
    buffer.setFilter({ errorsOnly: true })
    buffer.append(Array.from({ length: 5 }, (_, i) => event(i + 1, i % 2 === 0 ? { outcome: 'error' } : {})))
    expect(buffer.visible.map((row) => row.event.seq)).toEqual([1, 3, 5])
    buffer.append([event(6), event(7, { outcome: 'timeout' })])
    expect(buffer.size).toBe(5)
    expect(buffer.visible.map((row) => row.event.seq)).toEqual([3, 5, 7])
    expect(buffer.droppedVisible).toBe(1)
    // A dropped event may come again (a resumed stream): it is new to the buffer then.
    expect(buffer.row(buffer.visible[0]!.n)?.event.seq).toBe(3)
  })

  it('adds older pages at the front up to its capacity, and says how many visible rows that added', () => {
    const buffer = new LogBuffer(6)
    buffer.append([event(10), event(11)])
    expect(buffer.prepend([event(5), event(6), event(7), event(8), event(9), event(10)])).toBe(4)
    expect(buffer.visible.map((row) => row.event.seq)).toEqual([6, 7, 8, 9, 10, 11])
    expect(buffer.prependedVisible).toBe(4)
    expect(buffer.prepend([event(1)])).toBe(0)
    const ns = buffer.visible.map((row) => row.n)
    expect([...ns].sort((a, b) => a - b)).toEqual(ns)
  })

  it('offers the servers, methods and tools seen as filter choices', () => {
    const buffer = new LogBuffer(10)
    buffer.append([event(1, { server: 'beta', tool: 'echo' }), event(2, { method: 'initialize' }), event(3, { tool: 'add' })])
    expect(buffer.facets()).toEqual({ servers: ['alpha', 'beta'], methods: ['initialize', 'tools/call'], tools: ['add', 'echo'] })
  })

  it('shows, after any sequence of appends, trims and filter changes, exactly the held rows the filter lets through', () => {
    const arbitraryEvent = fc.record({
      server: fc.constantFrom('alpha', 'beta'),
      outcome: fc.constantFrom('ok', 'sent', 'error', 'tool-error', 'timeout' as const),
      direction: fc.constantFrom('to-server', 'to-client' as const),
      tool: fc.option(fc.constantFrom('echo', 'fail'), { nil: undefined }),
    })
    const arbitraryFilter: fc.Arbitrary<LogFilter> = fc.record({ server: fc.option(fc.constantFrom('alpha', 'beta'), { nil: undefined }), errorsOnly: fc.boolean(), tool: fc.option(fc.constant('echo'), { nil: undefined }) })
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.array(arbitraryEvent, { maxLength: 8 }).map((batch) => ({ batch })), arbitraryFilter.map((filter) => ({ filter }))), { maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (steps, capacity) => {
        const buffer = new LogBuffer(capacity)
        let seq = 0
        const held: LogEvent[] = []
        for (const step of steps) {
          if ('filter' in step) buffer.setFilter(step.filter)
          else {
            const events = step.batch.map((fields) => event(++seq, fields))
            buffer.append(events)
            held.push(...events)
          }
        }
        const expected = held.slice(-capacity).filter((logged) => matchesLogFilter(logged, buffer.filter))
        expect(buffer.visible.map((row) => row.event.seq)).toEqual(expected.map((logged) => logged.seq))
      }),
    )
  })
})
