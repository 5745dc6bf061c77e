import { useEffect, useRef } from 'react'
import type { AppInfo, DashboardEvent, DashboardLinkState } from '../../../shared/dashboard-api'
import { useDashboard } from './DashboardContext'
import type { Loadable } from './loadable'
import { useValue } from './value-store'

/** Calls `listener` with every event the hub pushes while the component is mounted. */
export function useDashboardEvents(listener: (event: DashboardEvent) => void): void {
  const { events } = useDashboard()
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => events.on((event) => latest.current(event)), [events])
}

/** The link to the hub: connecting, live, or reconnecting. */
export function useLinkState(): DashboardLinkState {
  return useValue(useDashboard().events.link)
}

/** Now, ticking every few seconds. */
export function useNow(): number {
  return useValue(useDashboard().clock.now)
}

export function useAppInfo(): Loadable<AppInfo> {
  return useValue(useDashboard().appInfo)
}
