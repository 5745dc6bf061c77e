import { routeHash } from '../app/hash-route'
import { EmptyState } from '../components/EmptyState'
import { Notice } from '../components/Notice'
import { Loading } from '../components/Spinner'
import { loadedData } from '../state/loadable'
import { useLinkState, useNow } from '../state/use-dashboard-events'
import { ServerCard } from './ServerCard'
import { useClients, useServers } from './use-servers'

/** Every server, live: what state it is in, what went wrong and what to do. */
export function ServersView() {
  const servers = useServers()
  const clients = loadedData(useClients()) ?? []
  const link = useLinkState()
  const now = useNow()
  const list = loadedData(servers)
  const stale = link === 'reconnecting' || servers.status === 'error'

  return (
    <div className="view">
      <header className="view-head">
        <div>
          <h1 tabIndex={-1}>Servers</h1>
          <p className="view-subtitle">{list && list.length > 0 ? `${list.length} remote MCP ${list.length === 1 ? 'server' : 'servers'}` : 'Remote MCP servers MCP Tray connects your clients to'}</p>
        </div>
        <a className="btn btn-primary" href={routeHash({ name: 'add' })}>
          Add server
        </a>
      </header>
      {servers.status === 'loading' && <Loading label="Loading servers…" />}
      {servers.status === 'error' && (
        <Notice tone="error" title="Could not load the servers.">
          {servers.error}
        </Notice>
      )}
      {list && list.length === 0 && (
        <EmptyState title="No servers yet" action={<a className="btn btn-primary" href={routeHash({ name: 'add' })}>Add server</a>}>
          <p>Add a remote MCP server by its URL (for example https://example.com/mcp). MCP Tray signs you in, keeps the tokens encrypted, and writes the entry into Claude Desktop’s config for you.</p>
        </EmptyState>
      )}
      {list && list.length > 0 && (
        <div className={`server-list${stale ? ' is-stale' : ''}`} aria-busy={stale || undefined}>
          {list.map((server) => (
            <ServerCard key={server.server} server={server} clients={clients} now={now} />
          ))}
        </div>
      )}
    </div>
  )
}
