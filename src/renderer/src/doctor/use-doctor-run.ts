import { useCallback, useRef, useState } from 'react'
import type { DoctorReport, DoctorStep } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { useDashboard } from '../state/DashboardContext'
import { useDashboardEvents } from '../state/use-dashboard-events'

export type DoctorRun =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly target: string; readonly steps: readonly DoctorStep[] }
  | { readonly status: 'done'; readonly target: string; readonly steps: readonly DoctorStep[]; readonly report: DoctorReport }
  | { readonly status: 'failed'; readonly target: string; readonly steps: readonly DoctorStep[]; readonly error: string }

/** A step's latest word replaces its earlier one (a `running` step becomes pass or fail), in the order steps began. */
function withStep(steps: readonly DoctorStep[], step: DoctorStep): readonly DoctorStep[] {
  const at = steps.findIndex((known) => known.id === step.id)
  if (at < 0) return [...steps, step]
  return steps.map((known, i) => (i === at ? step : known))
}

/** One doctor run, its steps streaming in as the hub runs them (`doctor-step` events for our run id). */
export function useDoctorRun(): { readonly run: DoctorRun; start(target: string): Promise<void> } {
  const { client } = useDashboard()
  const [run, setRun] = useState<DoctorRun>({ status: 'idle' })
  const runId = useRef<string>(undefined)

  useDashboardEvents((event) => {
    if (event.type !== 'doctor-step' || event.runId !== runId.current) return
    setRun((current) => (current.status === 'running' ? { ...current, steps: withStep(current.steps, event.step) } : current))
  })

  const start = useCallback(
    async (target: string) => {
      const id = crypto.randomUUID()
      runId.current = id
      setRun({ status: 'running', target, steps: [] })
      try {
        const report = await client.runDoctor({ target, runId: id })
        if (runId.current === id) setRun({ status: 'done', target, steps: report.steps, report })
      } catch (error) {
        if (runId.current === id) setRun((current) => ({ status: 'failed', target, steps: current.status === 'idle' ? [] : current.steps, error: describeError(error) }))
      }
    },
    [client],
  )
  return { run, start }
}
