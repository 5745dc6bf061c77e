import { describe, expect, it } from 'vitest'
import type { LogEvent } from '../../src/shared/log-model'
import { LogBuffer } from '../../src/renderer/src/log/log-buffer'

const at = (i: number): string => new Date(Date.parse('2026-03-04T10:00:00Z') + i * 10).toISOString()
const request = (seq: number, id: number, more: Partial<LogEvent> = {}): LogEvent => ({ seq, time: at(seq), server: 'alpha', direction: 'to-server', kind: 'request', method: 'tools/call', id, outcome: 'sent', ...more })
const answer = (seq: number, id: number, more: Partial<LogEvent> = {}): LogEvent => ({ seq, time: at(seq), server: 'alpha', direction: 'to-client', kind: 'response', method: 'tools/call', id, outcome: 'ok', ...more })

function partnerSeq(events: LogEvent[], seq: number): number | undefined {
  const buffer = new LogBuffer(100)
  buffer.append(events)
  const row = buffer.visible.find((candidate) => candidate.event.seq === seq)!
  return buffer.partner(row.n)?.event.seq
}

describe('request and answer pairing in the Live log', () => {
  it('pairs a request with its answer both ways', () => {
    const events = [request(1, 1), request(2, 2), answer(3, 2), answer(4, 1)]
    expect(partnerSeq(events, 1)).toBe(4)
    expect(partnerSeq(events, 4)).toBe(1)
    expect(partnerSeq(events, 3)).toBe(2)
  })

  it('tells apart two proxies numbering their requests alike, by process and session', () => {
    const events = [
      request(1, 1, { pid: 100, session: 'a' }),
      request(2, 1, { pid: 200, session: 'b' }),
      answer(3, 1, { pid: 200, session: 'b' }),
      answer(4, 1, { pid: 100, session: 'a' }),
    ]
    expect(partnerSeq(events, 3)).toBe(2)
    expect(partnerSeq(events, 1)).toBe(4)
  })

  it('pairs an initialize, sent before there is a session, with its answer that names one', () => {
    const events = [request(1, 0, { method: 'initialize', pid: 7 }), answer(2, 0, { method: 'initialize', pid: 7, session: 's1' })]
    expect(partnerSeq(events, 2)).toBe(1)
  })

  it('pairs an error answer (a timeout the proxy gave) and a server’s own request answered by the client', () => {
    const events = [request(1, 5), answer(2, 5, { kind: 'error', outcome: 'timeout' }), request(3, 9, { direction: 'to-client', method: 'elicitation/create' }), answer(4, 9, { direction: 'to-server' })]
    expect(partnerSeq(events, 1)).toBe(2)
    expect(partnerSeq(events, 4)).toBe(3)
  })

  it('finds no partner for a request still unanswered, nor for a notification', () => {
    const events = [request(1, 1), { ...request(2, 1), kind: 'notification' as const, id: undefined }, request(3, 1), answer(4, 1)]
    expect(partnerSeq(events, 1)).toBeUndefined()
    expect(partnerSeq(events, 2)).toBeUndefined()
    expect(partnerSeq(events, 3)).toBe(4)
  })
})
