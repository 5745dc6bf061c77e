import { durationWords } from '../words/time-words'
import { medianOf } from './server-words'

const width = 96
const height = 24

/** The latencies of a server's latest answers as a small line, with the median in words. */
export function Sparkline({ values }: { readonly values: readonly number[] }) {
  if (values.length < 2) return <span className="sparkline-empty">No answers yet</span>
  const max = Math.max(...values, 1)
  const step = width / (values.length - 1)
  const points = values.map((value, i) => `${(i * step).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`).join(' ')
  const median = medianOf(values) ?? 0
  const last = values[values.length - 1] ?? 0
  const label = `Latency of the last ${values.length} answers: median ${durationWords(median)}, latest ${durationWords(last)}, slowest ${durationWords(max)}`
  return (
    <span className="sparkline">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
        <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
      </svg>
      <span className="sparkline-value" aria-hidden="true">
        {durationWords(median)}
      </span>
    </span>
  )
}
