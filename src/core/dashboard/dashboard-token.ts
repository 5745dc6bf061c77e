import { join } from 'node:path'

/** Where the headless dashboard's access token is kept (0600, beside the hub's secret). */
export function dashboardTokenPath(dataDir: string): string {
  return join(dataDir, 'dashboard.token')
}
