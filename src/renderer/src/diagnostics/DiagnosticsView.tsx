import { useEffect, useId, useMemo, useState } from 'react'
import type { DiagnosticsBucket, ServerDiagnostics } from '../../../shared/dashboard-api'
import { routeHash } from '../app/hash-route'
import { useNavigate } from '../app/use-route'
import { EmptyState } from '../components/EmptyState'
import { Notice } from '../components/Notice'
import { Loading } from '../components/Spinner'
import { useServers } from '../servers/use-servers'
import { loadedData } from '../state/loadable'
import { countWords } from '../words/size-words'
import { durationWords } from '../words/time-words'
import { DoctorSummary } from './DoctorSummary'
import { TimeChart, type ChartSeries } from './TimeChart'
import { useBugReport, useDiagnostics } from './use-diagnostics'

const windows = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 },
] as const

type Count = Exclude<keyof DiagnosticsBucket, 'start' | 'p50Ms' | 'p95Ms'>
const tiles: readonly { readonly key: Count; readonly label: string; readonly bad?: boolean }[] = [
  { key: 'requests', label: 'Requests' },
  { key: 'errors', label: 'Errors', bad: true },
  { key: 'toolErrors', label: 'Tool errors', bad: true },
  { key: 'timeouts', label: 'Timeouts', bad: true },
  { key: 'retries', label: 'Retries' },
  { key: 'sessionRecoveries', label: 'Session recoveries' },
  { key: 'tokenRefreshes', label: 'Token refreshes' },
  { key: 'signIns', label: 'Sign-ins' },
]

function seriesOf(diagnostics: ServerDiagnostics, keys: readonly { key: keyof DiagnosticsBucket; label: string }[]): ChartSeries[] {
  return keys.map(({ key, label }) => ({ label, values: diagnostics.buckets.map((bucket) => (bucket[key] as number | undefined) ?? null) }))
}

/** A server's health over time: counts, latencies, the doctor's last result and a bug report to copy. */
export function DiagnosticsView({ server }: { readonly server?: string | undefined }) {
  const servers = useServers()
  const names = (loadedData(servers) ?? []).map((view) => view.server)
  const navigate = useNavigate()
  const [windowMs, setWindowMs] = useState<number>(3_600_000)
  const selectId = useId()
  const windowId = useId()

  // Without a server in the address, show the first one (and say so in the address).
  useEffect(() => {
    if (!server && names[0]) navigate({ name: 'diagnostics', server: names[0] }, { replace: true })
  }, [server, names[0]])

  const state = useDiagnostics(server, windowMs)
  const report = useBugReport(server)
  const data = loadedData(state)
  const charts = useMemo(() => {
    if (!data) return undefined
    const { diagnostics } = data
    const times = diagnostics.buckets.map((bucket) => bucket.start)
    return {
      times,
      traffic: seriesOf(diagnostics, [
        { key: 'requests', label: 'Requests' },
        { key: 'errors', label: 'Errors' },
        { key: 'toolErrors', label: 'Tool errors' },
        { key: 'timeouts', label: 'Timeouts' },
      ]),
      recovery: seriesOf(diagnostics, [
        { key: 'retries', label: 'Retries' },
        { key: 'sessionRecoveries', label: 'Session recoveries' },
        { key: 'tokenRefreshes', label: 'Refreshes' },
        { key: 'signIns', label: 'Sign-ins' },
      ]),
      latency: seriesOf(diagnostics, [
        { key: 'p50Ms', label: 'p50' },
        { key: 'p95Ms', label: 'p95' },
      ]),
    }
  }, [data])

  if (servers.status === 'ready' && names.length === 0) {
    return (
      <div className="view">
        <header className="view-head">
          <h1 tabIndex={-1}>Diagnostics</h1>
        </header>
        <EmptyState title="No servers yet" action={<a className="btn btn-primary" href={routeHash({ name: 'add' })}>Add server</a>}>
          <p>Diagnostics show each server’s requests, errors, timeouts and latency over time once it is added.</p>
        </EmptyState>
      </div>
    )
  }

  const totals = data?.diagnostics.totals
  return (
    <div className="view">
      <header className="view-head">
        <div>
          <h1 tabIndex={-1}>Diagnostics</h1>
          <p className="view-subtitle">Counts and latencies over time, the doctor’s last result, and a report to paste into an issue.</p>
        </div>
        <div className="view-actions">
          <label className="visually-hidden" htmlFor={selectId}>
            Server
          </label>
          <select id={selectId} className="input" value={server ?? ''} onChange={(event) => navigate({ name: 'diagnostics', server: event.target.value }, { replace: true })}>
            {!server && <option value="">Choose a server</option>}
            {server && !names.includes(server) && <option value={server}>{server}</option>}
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <label className="visually-hidden" htmlFor={windowId}>
            Time window
          </label>
          <select id={windowId} className="input" value={windowMs} onChange={(event) => setWindowMs(Number(event.target.value))}>
            {windows.map((window) => (
              <option key={window.ms} value={window.ms}>
                {window.label}
              </option>
            ))}
          </select>
          <button type="button" className="btn" disabled={!server || report.state === 'working'} onClick={() => void report.copy()}>
            {report.state === 'working' ? 'Preparing…' : report.state === 'copied' ? '✓ Copied' : 'Copy as Markdown'}
          </button>
        </div>
      </header>
      <div role="status" className={report.state === 'copied' ? 'toast-inline' : 'visually-hidden'}>
        {report.state === 'copied' ? `Copied the bug report for ${server} (redacted: no tokens, no header values). Paste it into an issue.` : ''}
      </div>
      {report.state === 'failed' && (
        <Notice tone="error" title="Could not copy the report.">
          {report.error}
        </Notice>
      )}
      {state.status === 'error' && (
        <Notice tone="error" title={`Could not load diagnostics${server ? ` for ${server}` : ''}.`}>
          {state.error}
        </Notice>
      )}
      {server && state.status === 'loading' && <Loading label={`Loading diagnostics for ${server}…`} />}
      {totals && (
        <ul className="tiles" aria-label="Totals over the window">
          {tiles.map((tile) => (
            <li key={tile.key} className={`tile${tile.bad && totals[tile.key] > 0 ? ' tile-bad' : ''}`}>
              <span className="tile-value">{countWords(totals[tile.key])}</span>
              <span className="tile-label">{tile.label}</span>
            </li>
          ))}
          <li className="tile">
            <span className="tile-value">{totals.p50Ms === undefined ? '–' : durationWords(totals.p50Ms)}</span>
            <span className="tile-label">Latency p50</span>
          </li>
          <li className="tile">
            <span className="tile-value">{totals.p95Ms === undefined ? '–' : durationWords(totals.p95Ms)}</span>
            <span className="tile-label">Latency p95</span>
          </li>
        </ul>
      )}
      {charts && totals && (
        <div className="charts">
          <TimeChart title="Requests and failures" summary={`${totals.requests} requests, ${totals.errors} errors, ${totals.toolErrors} tool errors, ${totals.timeouts} timeouts`} times={charts.times} series={charts.traffic} />
          <TimeChart title="Retries, recoveries, token refreshes, sign-ins" summary={`${totals.retries} retries, ${totals.sessionRecoveries} session recoveries, ${totals.tokenRefreshes} token refreshes, ${totals.signIns} sign-ins`} times={charts.times} series={charts.recovery} />
          <TimeChart title="Latency" summary={totals.p50Ms === undefined ? 'no answers in the window' : `p50 ${durationWords(totals.p50Ms)}, p95 ${durationWords(totals.p95Ms ?? totals.p50Ms)}`} times={charts.times} series={charts.latency} unit="ms" />
        </div>
      )}
      {server && data && <DoctorSummary server={server} report={data.doctor} />}
    </div>
  )
}
