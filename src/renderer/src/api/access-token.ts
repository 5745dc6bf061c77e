import { dashboardTokenParam } from '../../../shared/dashboard-http'

const storageKey = 'mcp-tray.dashboard-token'

/**
 * The headless hub's access token, as the page holds it. `mcp-tray serve` prints an address that
 * carries it once in the fragment (`#token=…`, never sent over the network); the page keeps it for
 * this tab and removes it from the address bar, so that it is not left in the history or a
 * screenshot. The tab keeps working after a reload.
 */
export function takeAccessToken(location: Pick<Location, 'hash' | 'pathname' | 'search'>, history: Pick<History, 'replaceState'>, storage: Pick<Storage, 'getItem' | 'setItem'>): string | undefined {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''))
  const fromAddress = fragment.get(dashboardTokenParam)
  if (fromAddress) {
    storage.setItem(storageKey, fromAddress)
    history.replaceState(null, '', `${location.pathname}${location.search}#/`)
    return fromAddress
  }
  return storage.getItem(storageKey) ?? undefined
}
