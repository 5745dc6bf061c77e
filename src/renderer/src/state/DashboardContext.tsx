import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import type { DashboardClient } from '../../../shared/dashboard-api'
import { createDashboardSession, type DashboardSession } from './dashboard-session'

const SessionContext = createContext<DashboardSession | undefined>(undefined)

/** Gives every view below the session for `client`, started while mounted. */
export function DashboardProvider({ client, children }: { readonly client: DashboardClient; readonly children: ReactNode }) {
  const [session] = useState(() => createDashboardSession(client))
  useEffect(() => {
    session.start()
    return () => session.stop()
  }, [session])
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
}

export function useDashboard(): DashboardSession {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useDashboard outside a DashboardProvider')
  return session
}
