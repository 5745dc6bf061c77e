/**
 * Latencies counted in fixed log-scale bins, four per doubling (each about 19 % wide, so a
 * percentile read back is within about 9 % of the true one), from under 1 ms to about an hour.
 * A histogram costs the same whatever it counts, and two of them add up: the diagnostics keep one
 * per server and minute, and merge them for wider buckets and whole windows.
 */
export const histogramBins = 88
const binsPerDoubling = 4

export class LatencyHistogram {
  readonly counts = new Uint32Array(histogramBins)
  total = 0
  min = Infinity
  max = -Infinity

  add(ms: number): void {
    if (!(ms >= 0)) return
    this.counts[binOf(ms)]! += 1
    this.total += 1
    if (ms < this.min) this.min = ms
    if (ms > this.max) this.max = ms
  }

  merge(other: LatencyHistogram): void {
    if (other.total === 0) return
    for (let i = 0; i < histogramBins; i += 1) this.counts[i]! += other.counts[i]!
    this.total += other.total
    if (other.min < this.min) this.min = other.min
    if (other.max > this.max) this.max = other.max
  }

  clear(): void {
    if (this.total === 0) return
    this.counts.fill(0)
    this.total = 0
    this.min = Infinity
    this.max = -Infinity
  }

  /** The latency below which a fraction `p` (0..1) of the counted ones lie; undefined when none. */
  percentile(p: number): number | undefined {
    if (this.total === 0) return undefined
    const rank = Math.max(1, Math.ceil(p * this.total))
    // The extremes are known exactly.
    if (rank >= this.total) return round(this.max)
    if (rank === 1) return round(this.min)
    let seen = 0
    for (let bin = 0; bin < histogramBins; bin += 1) {
      seen += this.counts[bin]!
      if (seen >= rank) return round(Math.min(this.max, Math.max(this.min, middleOf(bin))))
    }
    return round(this.max)
  }
}

function binOf(ms: number): number {
  if (ms < 1) return 0
  return Math.min(histogramBins - 1, 1 + Math.floor(Math.log2(ms) * binsPerDoubling))
}

/** The geometric middle of a bin: bin b ≥ 1 holds [2^((b-1)/4), 2^(b/4)). */
function middleOf(bin: number): number {
  return bin === 0 ? 0 : 2 ** ((bin - 0.5) / binsPerDoubling)
}

/** Whole milliseconds from 10 ms up, tenths below: the bins are not finer than that. */
function round(ms: number): number {
  return ms >= 10 ? Math.round(ms) : Math.round(ms * 10) / 10
}
