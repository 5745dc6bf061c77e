import { useEffect, useId, useState } from 'react'
import type { ClientId } from '../../../shared/dashboard-api'
import { routeHash } from '../app/hash-route'
import { CopyButton } from '../components/CopyButton'
import { Notice } from '../components/Notice'
import { Spinner } from '../components/Spinner'
import { useClients } from '../servers/use-servers'
import { loadedData } from '../state/loadable'
import { AdvancedOptions } from './AdvancedOptions'
import { ConnectProgressList } from './ConnectProgressList'
import { PreviewPanel } from './PreviewPanel'
import { connectRequestOf, emptyServerForm, type ServerForm, type ServerFormErrors } from './server-form'
import { useConnectRun } from './use-connect-run'
import { useServerPreview } from './use-server-preview'

/** Add a server by its URL: a live preview while typing, then one Connect (add, sign in, install). */
export function AddServerView({ initialUrl }: { readonly initialUrl?: string | undefined }) {
  const [form, setForm] = useState<ServerForm>({ ...emptyServerForm, url: initialUrl ?? '' })
  const [errors, setErrors] = useState<ServerFormErrors>({})
  const [clientsTouched, setClientsTouched] = useState(false)
  const [showAdvanced, setShowAdvanced] = useState(false)
  const preview = useServerPreview(form.url)
  const { run, start, reset } = useConnectRun()
  const clients = loadedData(useClients()) ?? []
  const ids = { url: useId(), name: useId() }

  // Until the person chooses, Connect installs where the settings say (Claude Desktop and the enabled clients).
  useEffect(() => {
    if (!clientsTouched && clients.length > 0) setForm((current) => ({ ...current, clients: clients.filter((client) => client.enabled || client.id === 'claude-desktop').map((client) => client.id) }))
  }, [clients, clientsTouched])

  const change = (update: Partial<ServerForm>): void => {
    if (run.status === 'failed') reset()
    setForm((current) => ({ ...current, ...update }))
    setErrors((current) => {
      const next = { ...current }
      for (const key of Object.keys(update)) delete next[key as keyof ServerFormErrors]
      return next
    })
  }
  const toggleClient = (id: ClientId, on: boolean): void => {
    setClientsTouched(true)
    change({ clients: on ? [...form.clients, id] : form.clients.filter((client) => client !== id) })
  }

  // The hub's refusals that belong to a field are shown under it (a name taken, an address that does not answer).
  const nameError = run.status === 'failed' && run.code?.startsWith('server_name') ? run.error : undefined
  const urlError = run.status === 'failed' && (run.code === 'server_url_invalid' || run.code === 'server_unreachable') ? run.error : undefined
  const urlProblem =
    errors.url ??
    urlError ??
    (preview.status === 'invalid' ? preview.problem : preview.status === 'ready' && !preview.preview.reachable ? preview.preview.problem : undefined)
  const previewName = preview.status === 'ready' ? preview.preview.suggestedName : undefined
  const running = run.status === 'running'

  function submit(): void {
    const built = connectRequestOf(form, crypto.randomUUID())
    if ('errors' in built) {
      setErrors(built.errors)
      return
    }
    void start({ ...built.request, runId: built.request.runId! })
  }

  if (run.status === 'done') {
    const { result } = run
    const restart = result.restartNeeded.map((id) => clients.find((client) => client.id === id)?.displayName ?? id)
    return (
      <div className="view view-narrow">
        <header className="view-head">
          <h1 tabIndex={-1}>Add server</h1>
        </header>
        <Notice tone="success" title={`${result.server} is ${result.created ? 'added and ' : ''}connected.`}>
          {restart.length > 0 ? <p>Restart {restart.join(' and ')} to load it.</p> : result.installed.length > 0 ? <p>Your clients will pick it up.</p> : <p>It is not installed in any client yet.</p>}
        </Notice>
        <ConnectProgressList steps={run.steps} />
        <div className="form-actions">
          <a className="btn btn-primary" href={routeHash({ name: 'servers' })}>
            Go to Servers
          </a>
          <a className="btn" href={routeHash({ name: 'log', server: result.server })}>
            Open log
          </a>
          <button type="button" className="btn" onClick={() => {
            reset()
            setForm({ ...emptyServerForm, clients: form.clients })
          }}>
            Add another
          </button>
        </div>
      </div>
    )
  }

  return (
    <div className="view view-narrow">
      <header className="view-head">
        <div>
          <h1 tabIndex={-1}>Add server</h1>
          <p className="view-subtitle">Paste the address of a remote MCP server. MCP Tray checks it as you type.</p>
        </div>
      </header>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          submit()
        }}
      >
        <div className="field">
          <label htmlFor={ids.url}>Server URL</label>
          <input
            id={ids.url}
            className="input input-large"
            type="url"
            value={form.url}
            placeholder="https://example.com/mcp"
            autoComplete="url"
            spellCheck={false}
            autoFocus
            disabled={running}
            aria-invalid={urlProblem ? true : undefined}
            aria-describedby={urlProblem ? `${ids.url}-error` : undefined}
            onChange={(event) => change({ url: event.target.value })}
          />
          {urlProblem && (
            <p id={`${ids.url}-error`} className="field-error" role="alert">
              {urlProblem}
            </p>
          )}
        </div>

        <PreviewPanel state={preview} onUseUrl={(url) => change({ url })} />

        <div className="field">
          <label htmlFor={ids.name}>Name (optional)</label>
          <input
            id={ids.name}
            className="input"
            value={form.name}
            placeholder={previewName ?? 'From the URL'}
            spellCheck={false}
            disabled={running}
            aria-invalid={errors.name || nameError ? true : undefined}
            aria-describedby={errors.name || nameError ? `${ids.name}-error` : undefined}
            onChange={(event) => change({ name: event.target.value })}
          />
          {(errors.name || nameError) && (
            <p id={`${ids.name}-error`} className="field-error" role="alert">
              {errors.name ?? nameError}
            </p>
          )}
        </div>

        {clients.length > 0 && !running && (
          <fieldset className="client-choice">
            <legend>Install in</legend>
            {clients.map((client) => (
              <label key={client.id} className="check-row">
                <input type="checkbox" checked={form.clients.includes(client.id)} onChange={(event) => toggleClient(client.id, event.target.checked)} />
                <span>{client.displayName}</span>
                <span className="muted mono small">{client.file}</span>
              </label>
            ))}
          </fieldset>
        )}

        {!running && (
          <button type="button" className="disclosure" aria-expanded={showAdvanced} onClick={() => setShowAdvanced((shown) => !shown)}>
            <span aria-hidden="true">{showAdvanced ? '▾' : '▸'}</span> Advanced options
          </button>
        )}
        {showAdvanced && !running && <AdvancedOptions form={form} errors={errors} onChange={change} />}

        {run.status === 'failed' && !nameError && !urlError && (
          <Notice tone="error" title="Could not connect.">
            {run.error}
          </Notice>
        )}

        <div className="form-actions">
          <button type="submit" className="btn btn-primary btn-large" disabled={running}>
            Add server
          </button>
          {running && run.steps.length === 0 && <Spinner label="Connecting…" />}
        </div>
      </form>

      {run.status !== 'idle' && run.steps.length > 0 && <ConnectProgressList steps={run.steps} />}
      {running && run.signIn?.url && !run.steps.some((step) => step.signInUrl) && (
        <div className="callout callout-info" role="status">
          <p>
            <strong>Waiting for sign-in in your browser.</strong> {run.signIn.message}
          </p>
          <div className="address-row">
            <span className="address-label">If no browser opened, open this address:</span>
            <code className="address">{run.signIn.url}</code>
            <CopyButton text={run.signIn.url} label="Copy address" />
          </div>
        </div>
      )}
    </div>
  )
}
