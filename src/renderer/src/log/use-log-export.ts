import { useState } from 'react'
import { describeError } from '../../../shared/tray-error'
import { useDashboard } from '../state/DashboardContext'
import { logQueryOf, type LogFilter } from './log-filter'

/** Exports the filtered log from the hub (redacted JSONL) and hands it to the browser as a download. */
export function useLogExport(): { readonly exporting: boolean; readonly error: string | undefined; exportLog(filter: LogFilter): Promise<void> } {
  const { client } = useDashboard()
  const [exporting, setExporting] = useState(false)
  const [error, setError] = useState<string>()
  return {
    exporting,
    error,
    async exportLog(filter) {
      setExporting(true)
      setError(undefined)
      try {
        const jsonl = await client.exportLogs(logQueryOf(filter))
        const url = URL.createObjectURL(new Blob([jsonl], { type: 'application/x-ndjson' }))
        const link = document.createElement('a')
        link.href = url
        link.download = `mcp-tray-log-${new Date().toISOString().replace(/[:.]/g, '-')}${filter.server ? `-${filter.server}` : ''}.jsonl`
        document.body.append(link)
        link.click()
        link.remove()
        setTimeout(() => URL.revokeObjectURL(url), 10_000)
      } catch (failure) {
        setError(describeError(failure))
      } finally {
        setExporting(false)
      }
    },
  }
}
