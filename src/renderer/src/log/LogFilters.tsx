import { useEffect, useId, useState } from 'react'
import type { LogDirection } from '../../../shared/log-model'
import { isFiltered, type LogFilter } from './log-filter'
import type { LogFacets } from './log-buffer'

/** The filter bar: server, method, tool, direction, errors only, and words to find. */
export function LogFilters({ filter, facets, servers, onChange, onServerChange }: { readonly filter: LogFilter; readonly facets: LogFacets; readonly servers: readonly string[]; readonly onChange: (filter: LogFilter) => void; readonly onServerChange: (server: string | undefined) => void }) {
  const id = useId()
  const [text, setText] = useState(filter.text ?? '')
  // Typing filters once it pauses: 100,000 rows are filtered again on each change.
  useEffect(() => {
    if ((filter.text ?? '') === text) return
    const timer = setTimeout(() => onChange({ ...filter, text: text || undefined }), 200)
    return () => clearTimeout(timer)
  }, [text, filter, onChange])

  const serverChoices = [...new Set([...servers, ...facets.servers])].sort()
  const set = (change: Partial<LogFilter>): void => {
    const next: Record<string, unknown> = { ...filter, ...change }
    for (const key of Object.keys(next)) if (next[key] === undefined || next[key] === '' || next[key] === false) delete next[key]
    onChange(next as LogFilter)
  }
  return (
    <div className="filter-bar" role="search" aria-label="Filter the log">
      <div className="filter">
        <label htmlFor={`${id}-server`}>Server</label>
        <select id={`${id}-server`} className="input input-small" value={filter.server ?? ''} onChange={(event) => onServerChange(event.target.value || undefined)}>
          <option value="">All servers</option>
          {serverChoices.map((server) => (
            <option key={server} value={server}>
              {server}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-method`}>Method</label>
        <select id={`${id}-method`} className="input input-small" value={filter.method ?? ''} onChange={(event) => set({ method: event.target.value || undefined })}>
          <option value="">All methods</option>
          {facets.methods.map((method) => (
            <option key={method} value={method}>
              {method}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-tool`}>Tool</label>
        <select id={`${id}-tool`} className="input input-small" value={filter.tool ?? ''} onChange={(event) => set({ tool: event.target.value || undefined })}>
          <option value="">All tools</option>
          {facets.tools.map((tool) => (
            <option key={tool} value={tool}>
              {tool}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-direction`}>Direction</label>
        <select id={`${id}-direction`} className="input input-small" value={filter.direction ?? ''} onChange={(event) => set({ direction: (event.target.value || undefined) as LogDirection | undefined })}>
          <option value="">Both ways</option>
          <option value="to-server">→ To server</option>
          <option value="to-client">← To client</option>
        </select>
      </div>
      <label className="filter filter-check">
        <input type="checkbox" checked={filter.errorsOnly ?? false} onChange={(event) => set({ errorsOnly: event.target.checked })} />
        Errors only
      </label>
      <div className="filter filter-grow">
        <label htmlFor={`${id}-text`}>Search</label>
        <input id={`${id}-text`} className="input input-small" type="search" placeholder="Method, tool, id, session or text" value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      {isFiltered(filter) && (
        <button
          type="button"
          className="btn btn-small btn-quiet"
          onClick={() => {
            setText('')
            onServerChange(undefined)
            onChange({})
          }}
        >
          Clear filters
        </button>
      )}
    </div>
  )
}
