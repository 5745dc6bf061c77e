import type { ReactNode } from 'react'
import type { LogEvent } from '../../../shared/log-model'
import { CopyButton } from '../components/CopyButton'
import { sizeWords } from '../words/size-words'
import { clockWords, durationWords, fullTimeWords } from '../words/time-words'
import type { LogRow } from './log-buffer'
import { isAnswer, isRequest } from './log-pairing'
import { directionWords, kindWords, outcomeTones, outcomeWords, prettyPreview } from './log-words'

function Fact({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function facts(event: LogEvent) {
  return (
    <dl className="detail-facts">
      <Fact label="Time">{fullTimeWords(event.time)}</Fact>
      <Fact label="Server">{event.server}</Fact>
      <Fact label="Direction">{directionWords[event.direction]}</Fact>
      <Fact label="Kind">{kindWords[event.kind]}</Fact>
      {event.method && <Fact label="Method">{event.method}</Fact>}
      {event.tool && <Fact label="Tool">{event.tool}</Fact>}
      {event.id !== undefined && event.id !== null && <Fact label="ID">{String(event.id)}</Fact>}
      <Fact label="Status">
        <span className={`badge badge-${outcomeTones[event.outcome]}`}>{outcomeWords[event.outcome]}</span>
      </Fact>
      {event.httpStatus !== undefined && <Fact label="HTTP status">{event.httpStatus}</Fact>}
      {event.attempt !== undefined && <Fact label="Attempts">{event.attempt}</Fact>}
      {event.latencyMs !== undefined && <Fact label="Latency">{durationWords(event.latencyMs)}</Fact>}
      {event.bytes !== undefined && <Fact label="Size">{sizeWords(event.bytes)}</Fact>}
      <Fact label="Session">{event.session ? <span className="mono">{event.session}</span> : <span className="muted">none</span>}</Fact>
      {event.pid !== undefined && <Fact label="Process">{event.pid}</Fact>}
      {event.seq !== undefined && <Fact label="Sequence">{event.seq}</Fact>}
    </dl>
  )
}

/** The selected message in full: its facts, its redacted text, and the other half of its exchange. */
export function LogDetail({ row, partner, onShow }: { readonly row: LogRow | undefined; readonly partner: LogRow | undefined; readonly onShow: (n: number) => void }) {
  if (!row) {
    return (
      <aside className="log-detail log-detail-empty" aria-label="Message details">
        <p className="muted">Select a message to see its details. Use the arrow keys to move through the log.</p>
      </aside>
    )
  }
  const { event } = row
  const preview = event.preview === undefined ? undefined : prettyPreview(event.preview)
  const partnerName = isRequest(event) ? 'answer' : 'request'
  return (
    <aside className="log-detail" aria-label="Message details">
      <h2 className="detail-title">
        {event.method ?? kindWords[event.kind]}
        {event.tool && <span className="muted"> · {event.tool}</span>}
      </h2>
      {(isRequest(event) || isAnswer(event)) && (
        <div className="detail-pair">
          {partner ? (
            <>
              <span>
                Its {partnerName}: <span className={`badge badge-${outcomeTones[partner.event.outcome]}`}>{outcomeWords[partner.event.outcome]}</span> at {clockWords(partner.event.time)}
                {partner.event.latencyMs !== undefined && ` after ${durationWords(partner.event.latencyMs)}`}
              </span>
              <button type="button" className="btn btn-small" onClick={() => onShow(partner.n)}>
                Show {partnerName}
              </button>
            </>
          ) : (
            <span className="muted">{isRequest(event) ? 'No answer yet.' : 'Its request is no longer in the log.'}</span>
          )}
        </div>
      )}
      {facts(event)}
      {preview !== undefined && (
        <section className="detail-preview" aria-label="Message text (redacted)">
          <div className="detail-preview-head">
            <h3>Message (redacted)</h3>
            <CopyButton text={preview} />
          </div>
          <pre tabIndex={0}>{preview}</pre>
        </section>
      )}
    </aside>
  )
}
