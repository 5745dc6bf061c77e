import { useEffect, useId, useState } from 'react'
import type { DoctorFixAction } from '../../../shared/dashboard-api'
import { routeHash } from '../app/hash-route'
import { Dialog } from '../components/Dialog'
import { Notice } from '../components/Notice'
import { Spinner } from '../components/Spinner'
import { useServers } from '../servers/use-servers'
import { loadedData } from '../state/loadable'
import { durationWords } from '../words/time-words'
import { DoctorStepItem } from './DoctorStepItem'
import { useDoctorFix } from './use-doctor-fix'
import { useDoctorRun } from './use-doctor-run'

/** The doctor: every step from DNS to the tools list for a server or a URL, streamed as it runs, with fixes as buttons. */
export function DoctorView({ server, url }: { readonly server?: string | undefined; readonly url?: string | undefined }) {
  const [target, setTarget] = useState(server ?? url ?? '')
  const { run, start } = useDoctorRun()
  const servers = loadedData(useServers()) ?? []
  const fieldId = useId()
  const listId = useId()
  const ranTarget = run.status === 'idle' ? undefined : run.target
  const saved = servers.find((view) => view.server === ranTarget)
  const fixer = useDoctorFix(saved)
  const [confirm, setConfirm] = useState<{ key: string; action: Extract<DoctorFixAction, { kind: 'use-url' }> }>()

  // Opened for a server or URL (from a card, the tray, a diagnosis): the person asked, so run at once.
  useEffect(() => {
    if (server ?? url) void start(server ?? url!)
  }, [server, url, start])

  function apply(key: string, action: DoctorFixAction): void {
    if (action.kind === 'use-url' && saved) setConfirm({ key, action })
    else if (action.kind === 'use-url') window.location.hash = routeHash({ name: 'add', url: action.url })
    else
      void fixer.apply(key, action).then((done) => {
        if (done && action.kind !== 'trust-system-ca' && ranTarget) void start(ranTarget)
      })
  }

  const steps = run.status === 'idle' ? [] : run.steps
  const failed = steps.filter((step) => step.status === 'fail').length
  const warned = steps.filter((step) => step.status === 'warn').length
  return (
    <div className="view view-narrow">
      <header className="view-head">
        <div>
          <h1 tabIndex={-1}>Doctor</h1>
          <p className="view-subtitle">Checks a connection step by step — DNS, TLS, the MCP endpoint, discovery, registration, sign-in, the session — and says how to fix what fails.</p>
        </div>
      </header>
      <form
        className="doctor-form"
        onSubmit={(event) => {
          event.preventDefault()
          if (target.trim()) void start(target.trim())
        }}
      >
        <div className="field field-grow">
          <label htmlFor={fieldId}>Server name or URL</label>
          <input id={fieldId} className="input" list={listId} value={target} placeholder="my-server or https://example.com/mcp" spellCheck={false} onChange={(event) => setTarget(event.target.value)} />
          <datalist id={listId}>
            {servers.map((view) => (
              <option key={view.server} value={view.server} />
            ))}
          </datalist>
        </div>
        <button type="submit" className="btn btn-primary" disabled={run.status === 'running' || target.trim() === ''}>
          {run.status === 'running' ? 'Running…' : run.status === 'idle' ? 'Run doctor' : 'Run again'}
        </button>
      </form>

      {run.status === 'running' && <Spinner label={`Examining ${run.target}… (${steps.length} ${steps.length === 1 ? 'step' : 'steps'} so far)`} />}
      {run.status === 'failed' && (
        <Notice tone="error" title="The doctor could not run.">
          {run.error}
        </Notice>
      )}
      {run.status === 'done' && (
        <Notice tone={run.report.healthy ? 'success' : 'error'} title={run.report.healthy ? `No problem found${warned > 0 ? `; ${warned} ${warned === 1 ? 'thing' : 'things'} to check` : ''}.` : `${failed} ${failed === 1 ? 'step' : 'steps'} failed.`}>
          <p>
            {run.report.url} · {run.report.steps.length} steps in {durationWords(run.report.durationMs)}
            {run.report.diagnoses.length > 0 && ` · ${run.report.diagnoses.join(', ')}`}
          </p>
          {run.report.healthy && !run.report.server && !saved && (
            <p>
              <a href={routeHash({ name: 'add', url: run.report.url })}>Add this server</a>
            </p>
          )}
        </Notice>
      )}
      {steps.length > 0 && (
        <ol className="doctor-steps" aria-label="Doctor steps">
          {steps.map((step) => (
            <DoctorStepItem key={step.id} step={step} fix={fixer.state} canApply={run.status !== 'running'} onApply={(action) => apply(step.id, action)} />
          ))}
        </ol>
      )}
      {run.status === 'idle' && <p className="muted">Enter a saved server’s name or any MCP server URL, then run the doctor.</p>}

      {confirm && saved && (
        <Dialog
          open
          title={`Use ${confirm.action.url}?`}
          onClose={() => setConfirm(undefined)}
          footer={
            <>
              <button type="button" className="btn" autoFocus onClick={() => setConfirm(undefined)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => {
                  const { key, action } = confirm
                  setConfirm(undefined)
                  void fixer.apply(key, action).then((done) => {
                    if (done) void start(saved.server)
                  })
                }}
              >
                Use this URL
              </button>
            </>
          }
        >
          <p>
            MCP Tray will set {saved.server} up again at {confirm.action.url}: its old sign-in was for {saved.url} and is dropped, and you sign in again. The entries in your clients keep their name.
          </p>
        </Dialog>
      )}
    </div>
  )
}
