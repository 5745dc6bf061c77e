import { useEffect, useRef, useState } from 'react'
import type { DoctorReport, ServerDiagnostics } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { copyText } from '../components/clipboard'
import { useDashboard } from '../state/DashboardContext'
import type { Loadable } from '../state/loadable'
import { useDashboardEvents } from '../state/use-dashboard-events'

export interface DiagnosticsData {
  readonly diagnostics: ServerDiagnostics
  readonly doctor: DoctorReport | null
}

/**
 * A server's counts over time and the doctor's last report: asked again every `refreshMs`, and
 * soon after its log moves (at most once per `throttleMs`, however fast rows arrive).
 */
export function useDiagnostics(server: string | undefined, windowMs: number, options: { refreshMs?: number; throttleMs?: number } = {}): Loadable<DiagnosticsData> {
  const { client } = useDashboard()
  const refreshMs = options.refreshMs ?? 15_000
  const throttleMs = options.throttleMs ?? 2_000
  const [state, setState] = useState<Loadable<DiagnosticsData>>({ status: 'loading' })
  const [tick, setTick] = useState(0)
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useDashboardEvents((event) => {
    const relevant = (event.type === 'logs' && event.events.some((logged) => logged.server === server)) || event.type === 'resync' || (event.type === 'doctor-step' && server !== undefined)
    if (!relevant || pending.current !== undefined) return
    pending.current = setTimeout(() => {
      pending.current = undefined
      setTick((count) => count + 1)
    }, throttleMs)
  })
  useEffect(() => () => clearTimeout(pending.current), [])

  useEffect(() => {
    if (!server) return
    const timer = setInterval(() => setTick((count) => count + 1), refreshMs)
    return () => clearInterval(timer)
  }, [server, refreshMs])

  useEffect(() => setState({ status: 'loading' }), [server, windowMs])

  useEffect(() => {
    if (!server) return
    let current = true
    const bucketMs = windowMs <= 15 * 60_000 ? 15_000 : windowMs <= 3_600_000 ? 60_000 : windowMs <= 6 * 3_600_000 ? 5 * 60_000 : 15 * 60_000
    Promise.all([client.diagnostics({ server, windowMs, bucketMs }), client.lastDoctorReport(server)]).then(
      ([diagnostics, doctor]) => current && setState({ status: 'ready', data: { diagnostics, doctor } }),
      (error: unknown) =>
        current &&
        setState((previous) => {
          const data = previous.status === 'loading' ? undefined : previous.data
          return data ? { status: 'error', error: describeError(error), data } : { status: 'error', error: describeError(error) }
        }),
    )
    return () => {
      current = false
    }
  }, [client, server, windowMs, tick])

  return state
}

/** Copies a server's redacted Markdown bug report, and says so. */
export function useBugReport(server: string | undefined): { readonly state: 'idle' | 'working' | 'copied' | 'failed'; readonly error?: string; copy(): Promise<void> } {
  const { client } = useDashboard()
  const [state, setState] = useState<'idle' | 'working' | 'copied' | 'failed'>('idle')
  const [error, setError] = useState<string>()
  useEffect(() => {
    if (state !== 'copied') return
    const timer = setTimeout(() => setState('idle'), 4000)
    return () => clearTimeout(timer)
  }, [state])
  return {
    state,
    ...(error === undefined ? {} : { error }),
    async copy() {
      if (!server) return
      setState('working')
      setError(undefined)
      try {
        const markdown = await client.bugReport(server)
        await copyText(markdown)
        setState('copied')
      } catch (failure) {
        setError(describeError(failure))
        setState('failed')
      }
    },
  }
}
