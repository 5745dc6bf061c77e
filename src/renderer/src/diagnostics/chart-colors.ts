/**
 * Canvas charts cannot read CSS variables, so their colours are read from the design system's
 * variables once per theme (light or dark, as the OS says).
 */
export interface ChartColors {
  readonly axis: string
  readonly grid: string
  readonly series: readonly string[]
}

export function readChartColors(element: Element): ChartColors {
  const style = getComputedStyle(element)
  const read = (name: string): string => style.getPropertyValue(name).trim() || '#888'
  return {
    axis: read('--text-muted'),
    grid: read('--border'),
    series: [1, 2, 3, 4].map((i) => read(`--chart-${i}`)),
  }
}
