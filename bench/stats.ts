/** Plain summaries of timing samples; every function leaves its input untouched. */

function sortedCopy(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new Error('no samples to summarize')
  return [...samples].sort((a, b) => a - b)
}

/** The nearest-rank percentile (`p` in 0–100): the smallest sample with at least p % of samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0–100`)
  const sorted = sortedCopy(samples)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]!
}

/** The middle sample, or the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  const sorted = sortedCopy(samples)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('no samples to summarize')
  return samples.reduce((sum, value) => sum + value, 0) / samples.length
}
