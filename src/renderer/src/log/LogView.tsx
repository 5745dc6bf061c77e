import { useCallback, useEffect, useState } from 'react'
import { useNavigate } from '../app/use-route'
import { EmptyState } from '../components/EmptyState'
import { Notice } from '../components/Notice'
import { Loading, Spinner } from '../components/Spinner'
import { useServers } from '../servers/use-servers'
import { loadedData } from '../state/loadable'
import { countWords } from '../words/size-words'
import { isFiltered, type LogFilter } from './log-filter'
import { LogDetail } from './LogDetail'
import { LogFilters } from './LogFilters'
import { LogTable } from './LogTable'
import { useLogExport } from './use-log-export'
import { useLogStream } from './use-log-stream'

/** Every message the proxies relay, live, one row each, with requests and answers paired. */
export function LogView({ server }: { readonly server?: string | undefined }) {
  const stream = useLogStream()
  const { snapshot } = stream
  const navigate = useNavigate()
  const servers = (loadedData(useServers()) ?? []).map((view) => view.server)
  const exporter = useLogExport()
  const [selected, setSelected] = useState<number>()
  const [reveal, setReveal] = useState<number>()
  const [following, setFollowing] = useState(true)

  // The server filter lives in the address (#/log?server=…), so that the tray and links can open it.
  useEffect(() => {
    if (snapshot.filter.server !== server) stream.setFilter({ ...snapshot.filter, server })
  }, [server])

  const setFilter = useCallback((filter: LogFilter) => stream.setFilter({ ...filter, server }), [stream, server])
  const selectedRow = selected === undefined ? undefined : stream.row(selected)
  const partner = selected === undefined ? undefined : stream.partner(selected)
  const show = (n: number): void => {
    setSelected(n)
    setReveal(n)
    setFollowing(false)
  }

  const filtered = isFiltered(snapshot.filter)
  return (
    <div className="view view-fill">
      <header className="view-head">
        <div>
          <h1 tabIndex={-1}>Live log</h1>
          <p className="view-subtitle" aria-live="off">
            {filtered ? `${countWords(snapshot.rows.length)} of ${countWords(snapshot.total)} messages` : `${countWords(snapshot.total)} messages`}
            {snapshot.total >= snapshot.capacity && ` (the newest ${countWords(snapshot.capacity)} are kept here)`}
          </p>
        </div>
        <div className="view-actions">
          <button type="button" className={`btn${following ? ' btn-toggled' : ''}`} aria-pressed={following} onClick={() => setFollowing((was) => !was)}>
            <span className={`live-dot${following ? ' is-live' : ''}`} aria-hidden="true" />
            {following ? 'Following' : 'Paused'}
          </button>
          <button type="button" className="btn" disabled={exporter.exporting} onClick={() => void exporter.exportLog(snapshot.filter)}>
            {exporter.exporting ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </header>
      <LogFilters filter={snapshot.filter} facets={snapshot.facets} servers={servers} onChange={setFilter} onServerChange={(next) => navigate({ name: 'log', ...(next ? { server: next } : {}) }, { replace: true })} />
      {exporter.error && (
        <Notice tone="error" title="Could not export the log.">
          {exporter.error}
        </Notice>
      )}
      {snapshot.status === 'error' && (
        <Notice tone="error" title="Could not load the log." actions={<button type="button" className="btn btn-small" onClick={stream.reload}>Try again</button>}>
          {snapshot.error}
        </Notice>
      )}
      {snapshot.hasOlder && (
        <div className="older-bar">
          <span className="muted">Older messages are kept by MCP Tray.</span>
          <button type="button" className="btn btn-small" disabled={snapshot.loadingOlder} onClick={stream.loadOlder}>
            {snapshot.loadingOlder ? 'Loading…' : 'Load older messages'}
          </button>
        </div>
      )}
      <div className="log-split">
        <div className="log-table-wrap">
          {snapshot.status === 'loading' && snapshot.rows.length === 0 ? (
            <Loading label="Loading the log…" />
          ) : snapshot.rows.length === 0 ? (
            <EmptyState title={filtered ? 'No message matches the filters' : 'No messages yet'}>
              <p>{filtered ? 'Clear a filter to see more.' : 'Messages appear here, live, as your clients talk to their servers through MCP Tray.'}</p>
            </EmptyState>
          ) : (
            <LogTable snapshot={snapshot} selected={selected} paired={partner?.n} following={following} reveal={reveal} onSelect={(n) => {
              setSelected(n)
              setReveal(undefined)
            }} onFollowingChange={setFollowing} />
          )}
          {!following && snapshot.rows.length > 0 && (
            <button type="button" className="btn btn-small jump-latest" onClick={() => setFollowing(true)}>
              ↓ Jump to latest
            </button>
          )}
          {snapshot.status === 'loading' && snapshot.rows.length > 0 && (
            <div className="log-reloading">
              <Spinner label="Reloading…" />
            </div>
          )}
        </div>
        <LogDetail row={selectedRow} partner={partner} onShow={show} />
      </div>
    </div>
  )
}
