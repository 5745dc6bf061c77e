import type { ServerStatus } from '../../shared/dashboard-api'

/** What the tray icon says about all servers at once. */
export type OverallState = 'idle' | 'connected' | 'attention' | 'error'

/**
 * The worst news first: a failing server makes the icon an error, one waiting for sign-in asks
 * for attention (the person has something to do), else it shows whether anything is connected.
 */
export function overallState(statuses: readonly ServerStatus[]): OverallState {
  const states = new Set(statuses.map((s) => s.state))
  if (states.has('error')) return 'error'
  if (states.has('sign-in-needed') || states.has('signing-in')) return 'attention'
  return states.has('connected') ? 'connected' : 'idle'
}
