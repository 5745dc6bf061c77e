/** Data a view waits for: every state it can be in has a look (loading, ready, failed). */
export type Loadable<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  /** `data` is what was shown before the failure, kept on screen as stale. */
  | { readonly status: 'error'; readonly error: string; readonly data?: T }

/** The data a loadable holds, fresh or stale. */
export function loadedData<T>(loadable: Loadable<T>): T | undefined {
  return loadable.status === 'loading' ? undefined : loadable.data
}
