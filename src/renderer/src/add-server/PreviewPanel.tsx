import type { ServerPreview } from '../../../shared/dashboard-api'
import { routeHash } from '../app/hash-route'
import { Spinner } from '../components/Spinner'
import { durationWords } from '../words/time-words'
import type { PreviewState } from './use-server-preview'

const registrationWords: Readonly<Record<NonNullable<ServerPreview['registration']>, string>> = {
  'pre-registered': 'With the client ID you gave',
  'client-metadata-document': 'With MCP Tray’s Client ID Metadata Document',
  dynamic: 'Dynamic client registration (RFC 7591)',
  'client-id-needed': 'A client ID is needed: ask the server’s owner, then enter it under Advanced options',
}

const mcpWords = { found: 'Found', 'not-found': 'Not found', unknown: 'Unknown' } as const
const transportWords = { 'streamable-http': 'Streamable HTTP', sse: 'HTTP+SSE (2024-11-05)' } as const

function Check({ ok, children }: { readonly ok: boolean | undefined; readonly children: string }) {
  const mark = ok === undefined ? '–' : ok ? '✓' : '✕'
  return (
    <span className={ok === undefined ? 'check' : ok ? 'check check-ok' : 'check check-bad'}>
      <span aria-hidden="true">{mark}</span> {children}
    </span>
  )
}

/** What the hub found at the URL being typed, before anything is saved. */
export function PreviewPanel({ state, onUseUrl }: { readonly state: PreviewState; readonly onUseUrl: (url: string) => void }) {
  if (state.status === 'empty' || state.status === 'invalid') return null
  if (state.status === 'checking') {
    return (
      <section className="preview" aria-label="Preview" aria-busy="true">
        <Spinner label={`Checking ${state.url}…`} />
      </section>
    )
  }
  if (state.status === 'failed') {
    return (
      <section className="preview" aria-label="Preview">
        <p className="field-error">{state.error}</p>
      </section>
    )
  }
  const { preview } = state
  return (
    <section className="preview" aria-label="Preview" aria-live="polite">
      <dl className="preview-facts">
        <div>
          <dt>Reachable</dt>
          <dd>
            <Check ok={preview.reachable}>{preview.reachable ? 'Yes' : 'No'}</Check>
          </dd>
        </div>
        <div>
          <dt>MCP endpoint</dt>
          <dd>
            <Check ok={preview.mcp === 'unknown' ? undefined : preview.mcp === 'found'}>{`${mcpWords[preview.mcp]}${preview.transport ? ` · ${transportWords[preview.transport]}` : ''}`}</Check>
          </dd>
        </div>
        <div>
          <dt>Sign-in</dt>
          <dd>{preview.mcp === 'found' || preview.signInRequired ? (preview.signInRequired ? 'Needed: your browser will open to sign in' : 'Not needed') : '–'}</dd>
        </div>
        {preview.authorizationServer && (
          <div>
            <dt>Authorization server</dt>
            <dd className="mono">{preview.authorizationServer}</dd>
          </div>
        )}
        {preview.registration && (
          <div>
            <dt>Registration</dt>
            <dd>{registrationWords[preview.registration]}</dd>
          </div>
        )}
        {preview.scopes && preview.scopes.length > 0 && (
          <div>
            <dt>Scopes</dt>
            <dd className="scopes">
              {preview.scopes.map((scope) => (
                <span key={scope} className="chip">
                  {scope}
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
      {preview.existing && (
        <p className="callout callout-info">
          This server is already added as <strong>{preview.existing}</strong>. <a href={routeHash({ name: 'servers' })}>Go to Servers</a>
        </p>
      )}
      {preview.suggestedUrl && (
        <div className="callout callout-warning">
          <p>
            <span className="mono">{preview.suggestedUrl}</span> answers as an MCP endpoint.
          </p>
          <button type="button" className="btn btn-small btn-primary" onClick={() => onUseUrl(preview.suggestedUrl!)}>
            Use this URL
          </button>
        </div>
      )}
      <p className="preview-meta muted">Checked in {durationWords(preview.durationMs)}</p>
    </section>
  )
}
