import type { DashboardClient } from '../../shared/dashboard-api'
import { AppShell } from './app/AppShell'
import { DashboardProvider } from './state/DashboardContext'

/** The dashboard. It knows only the DashboardClient it is given, not where that client comes from. */
export function App({ client }: { readonly client: DashboardClient }) {
  return (
    <DashboardProvider client={client}>
      <AppShell />
    </DashboardProvider>
  )
}
