import { useEffect, useRef, useSyncExternalStore } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { readChartColors } from './chart-colors'

export interface ChartSeries {
  readonly label: string
  readonly values: readonly (number | null)[]
}

/** The indices of a series' values worth a dot: the non-zero ones (a zero line needs none). */
function nonZeroPoints(u: uPlot, seriesIdx: number): number[] {
  const values = u.data[seriesIdx] ?? []
  const indices: number[] = []
  for (let i = 0; i < values.length; i++) if (values[i]) indices.push(i)
  return indices
}

const darkQuery = '(prefers-color-scheme: dark)'
function subscribeScheme(listener: () => void): () => void {
  const query = window.matchMedia(darkQuery)
  query.addEventListener('change', listener)
  return () => query.removeEventListener('change', listener)
}
const readScheme = (): boolean => window.matchMedia(darkQuery).matches

/**
 * A small time chart (uPlot, on a canvas) with its own legend in words. `times` are epoch ms.
 * The figure carries a text summary for people who cannot see the chart.
 */
export function TimeChart({ title, summary, times, series, unit, height = 132 }: { readonly title: string; readonly summary: string; readonly times: readonly number[]; readonly series: readonly ChartSeries[]; readonly unit?: string; readonly height?: number }) {
  const box = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | undefined>(undefined)
  const dark = useSyncExternalStore(subscribeScheme, readScheme)
  const colors = useRef(readChartColors(document.documentElement))
  const labels = series.map((line) => line.label).join('|')
  const sparse = series.every((line) => line.values.filter((value) => value !== null && value !== 0).length < 12)

  useEffect(() => {
    const element = box.current
    if (!element) return
    colors.current = readChartColors(element)
    const { axis, grid, series: palette } = colors.current
    const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px system-ui, sans-serif' }
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, unit === 'ms' ? 10 : 4)] } },
        axes: [
          { ...axisStyle, size: 28 },
          { ...axisStyle, size: unit === 'ms' ? 62 : 52, ...(unit ? { values: (_u: uPlot, ticks: number[]) => ticks.map((tick) => `${tick}${unit === 'ms' ? ' ms' : ''}`) } : {}) },
        ],
        // A line needs two points: with few values (a new server, sparse latencies) each is drawn as a dot too.
        series: [
          {},
          ...series.map((line, i) => ({
            label: line.label,
            stroke: palette[i % palette.length],
            width: 1.5,
            points: { show: sparse, size: 5, fill: palette[i % palette.length], filter: nonZeroPoints },
            spanGaps: false,
          })),
        ],
      },
      [[], ...series.map(() => [])],
      element,
    )
    plot.current = chart
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }))
    observer.observe(element)
    return () => {
      observer.disconnect()
      chart.destroy()
      plot.current = undefined
    }
  }, [labels, dark, height, unit, sparse])

  useEffect(() => {
    plot.current?.setData([times.map((time) => time / 1000), ...series.map((line) => [...line.values])] as uPlot.AlignedData)
  }, [times, series, labels, dark])

  return (
    <figure className="chart">
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
        <span className="chart-legend">
          {series.map((line, i) => (
            <span key={line.label} className="legend-item">
              <span className={`legend-key legend-key-${(i % 4) + 1}`} aria-hidden="true" />
              {line.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}: ${summary}`} />
    </figure>
  )
}
