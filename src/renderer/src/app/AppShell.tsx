import { useEffect, useRef } from 'react'
import { AddServerView } from '../add-server/AddServerView'
import { DiagnosticsView } from '../diagnostics/DiagnosticsView'
import { DoctorView } from '../doctor/DoctorView'
import { LogView } from '../log/LogView'
import { ServersView } from '../servers/ServersView'
import { SettingsView } from '../settings/SettingsView'
import { Banners } from './Banners'
import type { Route } from './hash-route'
import { Sidebar } from './Sidebar'
import { Toasts } from './Toasts'
import { useRoute } from './use-route'

/** The frame every view sits in: navigation, the link and storage banners, toasts. */
export function AppShell() {
  const route = useRoute()
  const content = useRef<HTMLElement>(null)
  const first = useRef(true)

  useEffect(() => {
    // After a navigation, focus goes to the new view's title so that keyboard and screen-reader users land there.
    if (first.current) {
      first.current = false
      return
    }
    content.current?.querySelector<HTMLElement>('h1')?.focus()
  }, [route.name])

  return (
    <div className="shell">
      <a className="skip-link" href="#content" onClick={(event) => {
        event.preventDefault()
        content.current?.querySelector<HTMLElement>('h1')?.focus()
      }}>
        Skip to content
      </a>
      <Sidebar current={route.name} />
      <div className="shell-main">
        <Banners />
        <main id="content" ref={content} className="shell-content">
          <RouteView route={route} />
        </main>
      </div>
      <Toasts />
    </div>
  )
}

function RouteView({ route }: { readonly route: Route }) {
  switch (route.name) {
    case 'servers':
      return <ServersView />
    case 'add':
      return <AddServerView key={route.url ?? ''} initialUrl={route.url} />
    case 'log':
      return <LogView server={route.server} />
    case 'diagnostics':
      return <DiagnosticsView server={route.server} />
    case 'doctor':
      return <DoctorView key={`${route.server ?? ''}|${route.url ?? ''}`} server={route.server} url={route.url} />
    case 'settings':
      return <SettingsView />
  }
}
