import { memo } from 'react'
import type { LogRow } from './log-buffer'
import { directionArrows, directionWords, methodLabel, outcomeTones, outcomeWords } from './log-words'
import { clockWords, durationWords } from '../words/time-words'
import { sizeWords } from '../words/size-words'

export const logRowHeight = 28

/** One message of the Live log, at a fixed height so that rows streaming in never move others. */
export const LogRowView = memo(function LogRowView({ row, index, top, selected, paired, onSelect }: { readonly row: LogRow; readonly index: number; readonly top: number; readonly selected: boolean; readonly paired: boolean; readonly onSelect: (n: number) => void }) {
  const { event } = row
  const failed = outcomeTones[event.outcome] === 'bad' || event.outcome === 'tool-error'
  return (
    <div
      id={`log-row-${row.n}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`log-row${selected ? ' is-selected' : ''}${paired ? ' is-paired' : ''}${failed ? ' is-failed' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onSelect(row.n)}
    >
      <div role="gridcell" className="log-cell log-time">
        {clockWords(event.time)}
      </div>
      <div role="gridcell" className="log-cell log-server" title={event.server}>
        {event.server}
      </div>
      <div role="gridcell" className={`log-cell log-dir log-dir-${event.direction}`} title={directionWords[event.direction]}>
        <span aria-hidden="true">{directionArrows[event.direction]}</span>
        <span className="visually-hidden">{directionWords[event.direction]}</span>
      </div>
      <div role="gridcell" className={`log-cell log-method${event.method ? '' : ' muted'}`} title={methodLabel(event)}>
        {methodLabel(event)}
      </div>
      <div role="gridcell" className="log-cell log-tool" title={event.tool}>
        {event.tool ?? ''}
      </div>
      <div role="gridcell" className="log-cell log-id">
        {event.id === undefined || event.id === null ? '' : String(event.id)}
      </div>
      <div role="gridcell" className="log-cell log-status">
        <span className={`badge badge-${outcomeTones[event.outcome]}`}>{outcomeWords[event.outcome]}</span>
      </div>
      <div role="gridcell" className="log-cell log-num">
        {event.latencyMs === undefined ? '' : durationWords(event.latencyMs)}
      </div>
      <div role="gridcell" className="log-cell log-num">
        {event.bytes === undefined ? '' : sizeWords(event.bytes)}
      </div>
    </div>
  )
})

export const logColumns = ['Time', 'Server', 'Dir.', 'Method', 'Tool', 'ID', 'Status', 'Latency', 'Size'] as const
