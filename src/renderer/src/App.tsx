import { useEffect, useState } from 'react'
import type { AppInfo, DashboardApi } from '../../shared/dashboard-api'
import { describeError } from '../../shared/tray-error'
import { BrandMark } from './components/BrandMark'
import { EmptyState } from './components/EmptyState'

type Loaded = { readonly state: 'loading' } | { readonly state: 'ready'; readonly info: AppInfo } | { readonly state: 'failed'; readonly message: string }

const shellLabels: Record<AppInfo['shell'], string> = {
  electron: 'Desktop app',
  headless: 'Headless, in your browser',
}

/** The dashboard. It knows only the DashboardApi it is given, not where that API comes from. */
export function App({ api }: { readonly api: DashboardApi }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })

  useEffect(() => {
    let current = true
    api.getAppInfo().then(
      (info) => current && setLoaded({ state: 'ready', info }),
      (error: unknown) => current && setLoaded({ state: 'failed', message: describeError(error) }),
    )
    return () => {
      current = false
    }
  }, [api])

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <BrandMark />
          <h1>{loaded.state === 'ready' ? loaded.info.name : 'MCP Tray'}</h1>
        </div>
        {loaded.state === 'ready' && (
          <dl className="app-facts">
            <div>
              <dt>Version</dt>
              <dd>{loaded.info.version}</dd>
            </div>
            <div>
              <dt>Running as</dt>
              <dd>{shellLabels[loaded.info.shell]}</dd>
            </div>
          </dl>
        )}
      </header>
      <main className="app-content">
        {loaded.state === 'failed' && (
          <p className="notice notice-error" role="alert">
            {loaded.message}
          </p>
        )}
        {loaded.state === 'ready' && <EmptyState />}
      </main>
    </div>
  )
}
