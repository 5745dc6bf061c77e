import type { DashboardView } from '../core/tray/tray-menu'

/**
 * The address of a dashboard view: the page's address with the view in its fragment, as the
 * renderer's router reads it (`#/log?server=linear`, `#/doctor?server=linear`, `#/add`, see
 * src/renderer/src/app/hash-route.ts). Only the fragment changes, so an open page follows it
 * without reloading.
 */
export function dashboardViewUrl(pageUrl: string, view: DashboardView): string {
  const params = new URLSearchParams()
  if (view.server) params.set('server', view.server)
  const query = params.toString()
  const hashAt = pageUrl.indexOf('#')
  return `${hashAt === -1 ? pageUrl : pageUrl.slice(0, hashAt)}#/${view.name}${query ? `?${query}` : ''}`
}
