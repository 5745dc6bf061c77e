import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useLayoutEffect, useRef, type KeyboardEvent } from 'react'
import { indexOfRow } from './log-buffer'
import type { LogSnapshot } from './log-store'
import { logRowHeight, LogRowView } from './LogRowView'

const columns: readonly { readonly label: string; readonly short?: string; readonly numeric?: boolean }[] = [
  { label: 'Time' },
  { label: 'Server' },
  { label: 'Direction', short: '⇄' },
  { label: 'Method' },
  { label: 'Tool' },
  { label: 'ID' },
  { label: 'Status' },
  { label: 'Latency', numeric: true },
  { label: 'Size', numeric: true },
]

export interface LogTableProps {
  readonly snapshot: LogSnapshot
  readonly selected: number | undefined
  readonly paired: number | undefined
  readonly following: boolean
  readonly onSelect: (n: number) => void
  readonly onFollowingChange: (following: boolean) => void
  /** Set to a row number to bring that row into view (e.g. "show its answer"). */
  readonly reveal: number | undefined
}

/**
 * The log's rows, virtualized: only the rows on screen exist in the page, however many are held.
 * While following, the view stays at the newest row; paused, it stays where the person left it,
 * even as the oldest rows are dropped from the top.
 */
export function LogTable({ snapshot, selected, paired, following, onSelect, onFollowingChange, reveal }: LogTableProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const expectedTop = useRef<number | undefined>(undefined)
  const seen = useRef({ dropped: snapshot.droppedVisible, prepended: snapshot.prependedVisible })
  const rows = snapshot.rows
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => logRowHeight,
    overscan: 6,
  })

  const scrollTo = useCallback((top: number) => {
    const element = scroller.current
    if (!element) return
    element.scrollTop = top
    expectedTop.current = element.scrollTop
  }, [])

  useLayoutEffect(() => {
    const element = scroller.current
    if (!element) return
    const dropped = snapshot.droppedVisible - seen.current.dropped
    const prepended = snapshot.prependedVisible - seen.current.prepended
    seen.current = { dropped: snapshot.droppedVisible, prepended: snapshot.prependedVisible }
    if (following) {
      scrollTo(element.scrollHeight)
      return
    }
    // A filter change resets the counters (negative deltas): nothing to make up for then.
    const shift = (Math.max(0, prepended) - Math.max(0, dropped)) * logRowHeight
    if (shift !== 0) scrollTo(element.scrollTop + shift)
  }, [snapshot, following, scrollTo])

  useLayoutEffect(() => {
    if (reveal === undefined) return
    const index = indexOfRow(rows, reveal)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [reveal, rows, virtualizer])

  function onScroll(): void {
    const element = scroller.current
    if (!element) return
    const atBottom = element.scrollTop + element.clientHeight >= element.scrollHeight - logRowHeight / 2
    const mine = expectedTop.current !== undefined && Math.abs(element.scrollTop - expectedTop.current) < 2
    expectedTop.current = undefined
    if (mine) return
    if (following && !atBottom) onFollowingChange(false)
    else if (!following && atBottom && rows.length > 0) onFollowingChange(true)
  }

  function move(index: number): void {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))]
    if (!row) return
    onSelect(row.n)
    if (index < rows.length - 1) onFollowingChange(false)
    virtualizer.scrollToIndex(Math.max(0, Math.min(rows.length - 1, index)), { align: 'auto' })
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const at = selected === undefined ? rows.length : indexOfRow(rows, selected)
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 280) / logRowHeight) - 1)
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 0, End: rows.length - 1 }
    const target = moves[event.key]
    if (target === undefined) return
    event.preventDefault()
    move(at < 0 ? rows.length - 1 : target)
  }

  const items = virtualizer.getVirtualItems()
  const selectedRendered = selected !== undefined && items.some((item) => rows[item.index]?.n === selected)

  return (
    <div
      className="log-grid"
      role="grid"
      aria-label="Log messages"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      tabIndex={0}
      aria-activedescendant={selectedRendered ? `log-row-${selected}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="log-head">
        <div role="row" aria-rowindex={1} className="log-row log-row-head">
          {columns.map((column) => (
            <div key={column.label} role="columnheader" className={`log-cell${column.numeric ? ' log-num' : ''}`}>
              {column.short ? (
                <>
                  <span aria-hidden="true">{column.short}</span>
                  <span className="visually-hidden">{column.label}</span>
                </>
              ) : (
                column.label
              )}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" ref={scroller} className="log-body" onScroll={onScroll}>
        <div className="log-body-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item, slot) => {
            const row = rows[item.index]
            if (!row) return null
            // Keyed by place on screen, not by row: a fast scroll then rewrites the rows in place
            // instead of building new ones every frame.
            return <LogRowView key={slot} row={row} index={item.index} top={item.start} selected={row.n === selected} paired={row.n === paired} onSelect={onSelect} />
          })}
        </div>
      </div>
    </div>
  )
}
