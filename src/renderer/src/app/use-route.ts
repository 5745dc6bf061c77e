import { useCallback, useSyncExternalStore } from 'react'
import { parseRoute, routeHash, type Route } from './hash-route'

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

const readHash = (): string => window.location.hash

/** The current route, following the address's fragment. */
export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, readHash))
}

/** Goes to a route: a new history entry (so Back returns), or in place of the current one with `replace`. */
export function useNavigate(): (route: Route, options?: { readonly replace?: boolean }) => void {
  return useCallback((route: Route, options?: { readonly replace?: boolean }) => {
    const hash = routeHash(route)
    if (options?.replace) window.location.replace(hash)
    else window.location.hash = hash
  }, [])
}
