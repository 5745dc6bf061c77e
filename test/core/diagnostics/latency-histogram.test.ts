import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from '../../../src/core/diagnostics/latency-histogram'

function exactPercentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!
}

describe('LatencyHistogram', () => {
  it('reads percentiles back within 10 % over six orders of magnitude', () => {
    const histogram = new LatencyHistogram()
    const values: number[] = []
    let seed = 7
    for (let i = 0; i < 20_000; i += 1) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      const ms = Math.round(Math.exp((seed / 2 ** 31) * Math.log(600_000)))
      values.push(ms)
      histogram.add(ms)
    }
    values.sort((a, b) => a - b)
    for (const p of [0.5, 0.9, 0.95, 0.99]) {
      const exact = exactPercentile(values, p)
      expect(Math.abs(histogram.percentile(p)! - exact) / exact).toBeLessThan(0.1)
    }
  })

  it('stays within what it saw, so a constant latency reads back exactly', () => {
    const histogram = new LatencyHistogram()
    for (let i = 0; i < 50; i += 1) histogram.add(1)
    expect(histogram.percentile(0.5)).toBe(1)
    expect(histogram.percentile(0.95)).toBe(1)
    histogram.add(0)
    expect(histogram.percentile(0)).toBe(0)
    expect(new LatencyHistogram().percentile(0.5)).toBeUndefined()
  })

  it('merges: two halves give what the whole gives, and a cleared one starts over', () => {
    const whole = new LatencyHistogram()
    const first = new LatencyHistogram()
    const second = new LatencyHistogram()
    for (let ms = 1; ms <= 1000; ms += 1) {
      whole.add(ms)
      ;(ms % 2 === 0 ? first : second).add(ms)
    }
    first.merge(second)
    expect(first.percentile(0.5)).toBe(whole.percentile(0.5))
    expect(first.percentile(0.95)).toBe(whole.percentile(0.95))
    expect(first.total).toBe(1000)
    first.clear()
    expect(first.total).toBe(0)
    expect(first.percentile(0.5)).toBeUndefined()
    // Beyond the last bin it still counts, read back as the largest seen.
    first.add(10 * 3_600_000)
    expect(first.percentile(0.5)).toBe(10 * 3_600_000)
  })
})
