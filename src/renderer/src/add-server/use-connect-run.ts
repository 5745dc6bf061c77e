import { useCallback, useRef, useState } from 'react'
import type { ConnectProgress, ConnectRequest, ConnectResult, ConnectStep, SignInEvent } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { useDashboard } from '../state/DashboardContext'
import { useDashboardEvents } from '../state/use-dashboard-events'

interface RunSoFar {
  readonly steps: readonly ConnectProgress[]
  /** The latest word of the sign-in this connect runs (the address to open, when no browser opened). */
  readonly signIn?: SignInEvent
}

export type ConnectRun =
  | { readonly status: 'idle' }
  | ({ readonly status: 'running' } & RunSoFar)
  | ({ readonly status: 'done'; readonly result: ConnectResult } & RunSoFar)
  | ({ readonly status: 'failed'; readonly error: string; readonly code?: string } & RunSoFar)

const stepOrder: readonly ConnectStep[] = ['add', 'sign-in', 'install', 'restart']

/** Each step's latest progress, in the order the steps run. */
function withProgress(steps: readonly ConnectProgress[], progress: ConnectProgress): readonly ConnectProgress[] {
  const others = steps.filter((step) => step.step !== progress.step)
  return [...others, progress].sort((a, b) => stepOrder.indexOf(a.step) - stepOrder.indexOf(b.step))
}

/** One connect (add → sign in → install → restart hint), its steps shown live from the hub's progress events. */
export function useConnectRun(): { readonly run: ConnectRun; start(request: ConnectRequest & { readonly runId: string }): Promise<void>; reset(): void } {
  const { client, servers } = useDashboard()
  const [run, setRun] = useState<ConnectRun>({ status: 'idle' })
  const runId = useRef<string>(undefined)

  useDashboardEvents((event) => {
    if (event.type === 'connect-progress' && event.progress.runId === runId.current) {
      setRun((current) => (current.status === 'idle' ? current : { ...current, steps: withProgress(current.steps, event.progress) }))
    } else if (event.type === 'sign-in') {
      setRun((current) => {
        if (current.status !== 'running') return current
        const server = current.steps.find((step) => step.server !== undefined)?.server
        return server === event.signIn.server ? { ...current, signIn: event.signIn } : current
      })
    }
  })

  const start = useCallback(
    async (request: ConnectRequest & { readonly runId: string }) => {
      runId.current = request.runId
      setRun({ status: 'running', steps: [] })
      try {
        const result = await client.connect(request)
        if (runId.current !== request.runId) return
        setRun((current) => ({ status: 'done', steps: current.status === 'idle' ? [] : current.steps, result }))
        void servers.reload()
      } catch (error) {
        if (runId.current !== request.runId) return
        const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined
        setRun((current) => ({ status: 'failed', steps: current.status === 'idle' ? [] : current.steps, error: describeError(error), ...(code ? { code } : {}) }))
      }
    },
    [client, servers],
  )

  const reset = useCallback(() => {
    runId.current = undefined
    setRun({ status: 'idle' })
  }, [])

  return { run, start, reset }
}
