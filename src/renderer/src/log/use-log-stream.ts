import { useEffect } from 'react'
import { useDashboard } from '../state/DashboardContext'
import { useValue } from '../state/value-store'
import type { LogRow } from './log-buffer'
import type { LogFilter } from './log-filter'
import type { LogSnapshot } from './log-store'

export interface LogStream {
  readonly snapshot: LogSnapshot
  setFilter(filter: LogFilter): void
  loadOlder(): void
  reload(): void
  row(n: number): LogRow | undefined
  /** The other half of the row's request/answer exchange. */
  partner(n: number): LogRow | undefined
}

/** The Live log's rows: loaded once, then followed live for as long as the page is open. */
export function useLogStream(): LogStream {
  const { log } = useDashboard()
  useEffect(() => log.start(), [log])
  const snapshot = useValue(log.snapshot)
  return {
    snapshot,
    setFilter: (filter) => log.setFilter(filter),
    loadOlder: () => void log.loadOlder(),
    reload: () => void log.reload(),
    row: (n) => log.buffer.row(n),
    partner: (n) => log.buffer.partner(n),
  }
}
