import { describe, expect, it } from 'vitest'
import { DiagnosticsRecorder, recentLatencyCount } from '../../../src/core/diagnostics/diagnostics-recorder'
import type { LogEvent } from '../../../src/shared/log-model'

const minute = 60_000
const start = Date.UTC(2026, 0, 1, 12, 0, 0)

function at(ms: number, extra: Partial<LogEvent> & Pick<LogEvent, 'outcome'>, server = 's'): LogEvent {
  return { time: new Date(ms).toISOString(), server, direction: 'to-client', kind: 'response', method: 'tools/call', ...extra }
}
const request = (ms: number, extra: Partial<LogEvent> = {}): LogEvent => at(ms, { direction: 'to-server', kind: 'request', outcome: 'sent', ...extra })
const answer = (ms: number, latencyMs: number, outcome: LogEvent['outcome'] = 'ok'): LogEvent =>
  at(ms, { latencyMs, outcome, kind: outcome === 'ok' || outcome === 'tool-error' ? 'response' : 'error' })

describe('DiagnosticsRecorder', () => {
  it('counts requests, errors, tool errors, timeouts, retries and recoveries per minute, with latency percentiles', () => {
    let now = start + 10 * minute + 30_000
    const recorder = new DiagnosticsRecorder({ now: () => now })
    const t = start + 8 * minute + 5_000
    recorder.record([
      request(t, { attempt: 3 }),
      answer(t + 10, 100),
      request(t + 20),
      answer(t + 30, 200, 'tool-error'),
      request(t + 40),
      answer(t + 50, 60_000, 'timeout'),
      request(t + 60, { outcome: 'failed' }),
      answer(t + 70, 5, 'failed'),
      at(t + 80, { direction: 'to-server', kind: 'proxy', method: 'session-recovered', outcome: 'recovered' }),
      at(t + 90, { direction: 'to-server', kind: 'proxy', method: 'stream-lost', outcome: 'error' }),
      at(t + 95, { outcome: 'late' }),
      request(start + 9 * minute),
      answer(start + 9 * minute + 1, 300, 'error'),
    ])
    recorder.tokenRefreshed('s')
    recorder.signedIn('s')

    const result = recorder.query({ server: 's', windowMs: 5 * minute })
    expect(result.bucketMs).toBe(minute)
    expect(result.buckets.map((b) => b.start)).toEqual([6, 7, 8, 9, 10].map((m) => start + m * minute))
    const [, , eighth, ninth, tenth] = result.buckets
    expect(eighth).toEqual({ start: start + 8 * minute, requests: 4, errors: 4, toolErrors: 1, timeouts: 1, retries: 2, sessionRecoveries: 1, tokenRefreshes: 0, signIns: 0, p50Ms: 100, p95Ms: 200 })
    expect(ninth).toMatchObject({ requests: 1, errors: 1, p50Ms: 300, p95Ms: 300 })
    expect(tenth).toMatchObject({ requests: 0, tokenRefreshes: 1, signIns: 1 })
    expect(tenth!.p50Ms).toBeUndefined()
    expect(result.buckets[0]).toEqual({ start: start + 6 * minute, requests: 0, errors: 0, toolErrors: 0, timeouts: 0, retries: 0, sessionRecoveries: 0, tokenRefreshes: 0, signIns: 0 })
    expect(result.totals).toMatchObject({ requests: 5, errors: 5, toolErrors: 1, timeouts: 1, retries: 2, sessionRecoveries: 1, tokenRefreshes: 1, signIns: 1, p95Ms: 300 })
    // Percentiles come from log-scale bins: within 10 %, exact at the extremes.
    expect(Math.abs(result.totals.p50Ms! - 200) / 200).toBeLessThan(0.1)

    // Wider buckets add the minutes up, percentiles included; the window is whole buckets up to now.
    const wide = recorder.query({ server: 's', windowMs: 60 * minute, bucketMs: 5 * minute })
    expect(wide.bucketMs).toBe(5 * minute)
    expect(wide.buckets).toHaveLength(12)
    expect(wide.buckets.at(-1)!.start).toBe(start + 10 * minute)
    expect(wide.buckets.at(-2)).toMatchObject({ start: start + 5 * minute, requests: 5, errors: 5, p50Ms: result.totals.p50Ms, p95Ms: 300 })
    expect(recorder.query({ server: 'nobody' }).buckets).toHaveLength(60)

    // A day later those minutes are gone, and their slots count anew.
    now += 24 * 60 * minute
    expect(recorder.query({ server: 's', windowMs: 24 * 60 * minute }).totals.requests).toBe(0)
    recorder.record([request(now)])
    expect(recorder.query({ server: 's' }).totals.requests).toBe(1)
  })

  it('keeps odd times in bounds: a future time counts now, one older than a day not at all, nor one that is no time', () => {
    const now = start
    const recorder = new DiagnosticsRecorder({ now: () => now })
    recorder.record([request(now + 3_600_000), request(now - 25 * 3_600_000), { ...request(now), time: 'not a time' }])
    const result = recorder.query({ server: 's', windowMs: minute })
    expect(result.buckets).toHaveLength(1)
    expect(result.totals.requests).toBe(2)
  })

  it('turns odd query shapes into whole minutes within a day', () => {
    const recorder = new DiagnosticsRecorder({ now: () => start })
    expect(recorder.query({ server: 's', bucketMs: 1 }).bucketMs).toBe(minute)
    expect(recorder.query({ server: 's', bucketMs: 90_000, windowMs: 10 * minute }).buckets).toHaveLength(5)
    expect(recorder.query({ server: 's', windowMs: 365 * 24 * 3_600_000 }).buckets).toHaveLength(24 * 60)
  })

  it('gives the latencies of the last answers for a sparkline, oldest first', () => {
    const recorder = new DiagnosticsRecorder({ now: () => start })
    for (let i = 1; i <= 100; i += 1) recorder.record([answer(start, i)])
    recorder.record([answer(start, 1_000, 'timeout')])
    expect(recorder.recentLatencies('s', 3)).toEqual([98, 99, 100])
    expect(recorder.recentLatencies('s', 1000)).toHaveLength(recentLatencyCount)
    expect(recorder.recentLatencies('nobody')).toEqual([])
  })

  it('counts what came before the hub started behind what it counted since, sparkline included', () => {
    const recorder = new DiagnosticsRecorder({ now: () => start })
    recorder.record([answer(start - 1_000, 10), answer(start, 11)])
    // Read back from the files newest first.
    recorder.recordEarlier([answer(start - 2 * minute, 9)])
    recorder.recordEarlier([answer(start - 3 * minute, 8), request(start - 3 * minute)])
    expect(recorder.recentLatencies('s', 10)).toEqual([8, 9, 10, 11])
    expect(recorder.query({ server: 's' }).totals).toMatchObject({ requests: 1, p95Ms: 11 })
    for (let i = 0; i < 100; i += 1) recorder.recordEarlier([answer(start - 4 * minute, 1)])
    expect(recorder.recentLatencies('s', 1000)).toHaveLength(recentLatencyCount)
    expect(recorder.recentLatencies('s', 4)).toEqual([8, 9, 10, 11])
  })

  it('stays within its bucket budget across servers, giving up the busiest server’s oldest minutes', () => {
    let now = start
    const recorder = new DiagnosticsRecorder({ now: () => now, maxBuckets: 100 })
    recorder.record([request(now, {}), { ...request(now), server: 'quiet' }])
    for (let m = 1; m < 300; m += 1) {
      now = start + m * minute
      recorder.record([request(now)])
    }
    const busy = recorder.query({ server: 's', windowMs: 300 * minute }).buckets
    expect(busy.filter((b) => b.requests > 0)).toHaveLength(99)
    expect(busy.at(-1)!.requests).toBe(1)
    expect(recorder.query({ server: 'quiet', windowMs: 300 * minute }).totals.requests).toBe(1)
  })

  it('follows a rename and forgets a removed server', () => {
    const recorder = new DiagnosticsRecorder({ now: () => start })
    recorder.record([request(start)])
    recorder.rename('s', 't')
    expect(recorder.query({ server: 's' }).totals.requests).toBe(0)
    expect(recorder.query({ server: 't' }).totals.requests).toBe(1)
    recorder.forget('t')
    expect(recorder.query({ server: 't' }).totals.requests).toBe(0)
  })
})
