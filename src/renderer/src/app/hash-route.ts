/**
 * Where the dashboard is, kept in the address's fragment so that the tray (and a bookmark) can
 * open a view directly:
 *
 *   #/servers                       the server list (also the default)
 *   #/add?url=<url>                 Add server, the URL filled in
 *   #/log?server=<name>             Live log, filtered to one server
 *   #/diagnostics?server=<name>     Diagnostics of one server
 *   #/doctor?server=<name>          the doctor, for a saved server …
 *   #/doctor?url=<url>              … or for any URL
 *   #/settings                      Settings
 *
 * Parameters are URL-encoded. Anything else (such as the headless hub's `#token=…`) reads as
 * the server list, and unknown parameters (such as `token`) are ignored.
 */
export type RouteName = 'servers' | 'add' | 'log' | 'diagnostics' | 'doctor' | 'settings'

export interface Route {
  readonly name: RouteName
  readonly server?: string
  readonly url?: string
}

const routeNames: readonly RouteName[] = ['servers', 'add', 'log', 'diagnostics', 'doctor', 'settings']

export function parseRoute(hash: string): Route {
  const match = /^#\/([a-z-]*)(?:\?(.*))?$/.exec(hash)
  const name = routeNames.find((candidate) => candidate === match?.[1])
  if (!match || !name) return { name: 'servers' }
  const params = new URLSearchParams(match[2] ?? '')
  const server = params.get('server') ?? undefined
  const url = params.get('url') ?? undefined
  return { name, ...(server ? { server } : {}), ...(url ? { url } : {}) }
}

export function routeHash(route: Route): string {
  const params = new URLSearchParams()
  if (route.server) params.set('server', route.server)
  if (route.url) params.set('url', route.url)
  const query = params.toString()
  return `#/${route.name}${query ? `?${query}` : ''}`
}
