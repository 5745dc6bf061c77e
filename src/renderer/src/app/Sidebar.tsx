import { BrandMark } from '../components/BrandMark'
import { Icon, type IconName } from '../components/Icon'
import { useAppInfo } from '../state/use-dashboard-events'
import { routeHash, type RouteName } from './hash-route'

const entries: readonly { readonly name: RouteName; readonly label: string; readonly icon: IconName }[] = [
  { name: 'servers', label: 'Servers', icon: 'servers' },
  { name: 'add', label: 'Add server', icon: 'add' },
  { name: 'log', label: 'Live log', icon: 'log' },
  { name: 'diagnostics', label: 'Diagnostics', icon: 'diagnostics' },
  { name: 'doctor', label: 'Doctor', icon: 'doctor' },
  { name: 'settings', label: 'Settings', icon: 'settings' },
]

const shellWords = { electron: 'Desktop app', headless: 'Headless hub' } as const

export function Sidebar({ current }: { readonly current: RouteName }) {
  const info = useAppInfo()
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar-brand">
        <BrandMark />
        <span className="sidebar-name">MCP Tray</span>
      </div>
      <ul className="nav-list">
        {entries.map((entry) => (
          <li key={entry.name}>
            <a className="nav-link" href={routeHash({ name: entry.name })} aria-current={entry.name === current ? 'page' : undefined}>
              <Icon name={entry.icon} />
              {entry.label}
            </a>
          </li>
        ))}
      </ul>
      {info.status === 'ready' && (
        <p className="sidebar-footer">
          Version {info.data.version}
          <br />
          {shellWords[info.data.shell]}
        </p>
      )}
    </nav>
  )
}
