import { useEffect, useState } from 'react'
import type { AppSettings } from '../../../shared/dashboard-api'
import { Notice } from '../components/Notice'
import { Loading } from '../components/Spinner'
import { useClients } from '../servers/use-servers'
import { loadedData } from '../state/loadable'
import { fieldOfRefusal, settingsChangeOf, settingsFormOf, type SettingsErrors, type SettingsForm } from './settings-form'
import { SettingsField } from './SettingsField'
import { useSettings } from './use-settings'

const atRestart = 'Takes effect when MCP Tray next starts.'

/** The app's settings, checked beside each field, saved in one go. */
export function SettingsView() {
  const { settings, save, saveChange, reload } = useSettings()
  const data = loadedData(settings)
  return (
    <div className="view view-narrow">
      <header className="view-head">
        <div>
          <h1 tabIndex={-1}>Settings</h1>
          <p className="view-subtitle">How MCP Tray signs in, waits, reaches servers and which clients it writes into.</p>
        </div>
      </header>
      {settings.status === 'loading' && <Loading label="Loading settings…" />}
      {settings.status === 'error' && (
        <Notice tone="error" title="Could not load the settings." actions={<button type="button" className="btn btn-small" onClick={reload}>Try again</button>}>
          {settings.error}
        </Notice>
      )}
      {data && <SettingsEditor key={JSON.stringify(data)} settings={data} save={save} onSave={saveChange} />}
    </div>
  )
}

function SettingsEditor({ settings, save, onSave }: { readonly settings: AppSettings; readonly save: ReturnType<typeof useSettings>['save']; readonly onSave: ReturnType<typeof useSettings>['saveChange'] }) {
  const [form, setForm] = useState<SettingsForm>(() => settingsFormOf(settings))
  const [errors, setErrors] = useState<SettingsErrors>({})
  const clients = loadedData(useClients()) ?? []
  const built = settingsChangeOf(form, settings)
  const dirty = 'errors' in built || Object.keys(built.change).length > 0

  // The hub's refusal names the setting it is about: show it beside that field.
  useEffect(() => {
    if (save.status !== 'failed') return
    const field = fieldOfRefusal(save.message)
    if (field) setErrors((current) => ({ ...current, [field]: save.error }))
  }, [save])

  const set = (change: Partial<SettingsForm>): void => {
    setForm((current) => ({ ...current, ...change }))
    setErrors((current) => {
      const next = { ...current }
      for (const key of Object.keys(change)) delete next[key as keyof SettingsErrors]
      return next
    })
  }
  const refusalElsewhere = save.status === 'failed' && !fieldOfRefusal(save.message)

  return (
    <form
      className="form settings-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        if ('errors' in built) {
          setErrors(built.errors)
          // Take the person to the first field to fix (it may be scrolled out of view).
          const form = event.currentTarget
          requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus())
          return
        }
        void onSave(built.change)
      }}
    >
      <fieldset className="settings-section">
        <legend>Requests</legend>
        <div className="form-grid">
          <SettingsField label="Default timeout (seconds)" value={form.defaultTimeoutSeconds} error={errors.defaultTimeoutSeconds} hint="How long a proxy waits for an answer when the server has no timeout of its own." onChange={(defaultTimeoutSeconds) => set({ defaultTimeoutSeconds })} />
          <SettingsField label="Largest message (MiB)" value={form.maxMessageMiB} error={errors.maxMessageMiB} hint="Bigger messages, from a server or a client, are refused." onChange={(maxMessageMiB) => set({ maxMessageMiB })} />
          <SettingsField label="Proxy URL" value={form.proxyUrl} inputMode="url" placeholder="None (or HTTPS_PROXY)" error={errors.proxyUrl} hint="An HTTP(S) proxy for every outgoing request." onChange={(proxyUrl) => set({ proxyUrl })} />
        </div>
        <label className="check-row">
          <input type="checkbox" checked={form.trustSystemCertificates} onChange={(event) => set({ trustSystemCertificates: event.target.checked })} />
          <span>
            Trust the system’s certificate store
            <span className="field-hint block">Needed behind a proxy or VPN that inspects TLS with its own certificate authority.</span>
          </span>
        </label>
      </fieldset>

      <fieldset className="settings-section">
        <legend>Sign-in</legend>
        <div className="form-grid">
          <SettingsField label="Callback port" value={form.callbackPort} error={errors.callbackPort} hint={`Where the browser comes back after sign-in (${form.callbackPort === '0' ? 'a free port each time; pre-registered clients need a fixed one' : `http://127.0.0.1:${form.callbackPort || '…'}/oauth/callback`}). ${atRestart}`} onChange={(callbackPort) => set({ callbackPort })} />
          <SettingsField label="Sign-in timeout (seconds)" value={form.signInTimeoutSeconds} error={errors.signInTimeoutSeconds} hint={`How long a sign-in waits for the browser. ${atRestart}`} onChange={(signInTimeoutSeconds) => set({ signInTimeoutSeconds })} />
          <SettingsField label="Client metadata URL" value={form.clientMetadataUrl} inputMode="url" placeholder="None" error={errors.clientMetadataUrl} hint={`Where MCP Tray’s OAuth Client ID Metadata Document is published, if you publish one. ${atRestart}`} onChange={(clientMetadataUrl) => set({ clientMetadataUrl })} />
        </div>
      </fieldset>

      <fieldset className="settings-section">
        <legend>Clients Connect installs into</legend>
        {clients.length === 0 && <p className="muted">Loading clients…</p>}
        {clients.map((client) => {
          const always = client.id === 'claude-desktop'
          return (
            <label key={client.id} className="check-row">
              <input
                type="checkbox"
                checked={always || form.enabledClients.includes(client.id)}
                disabled={always}
                onChange={(event) => set({ enabledClients: event.target.checked ? [...form.enabledClients, client.id] : form.enabledClients.filter((id) => id !== client.id) })}
              />
              <span>
                {client.displayName}
                {always && <span className="muted"> (always)</span>}
                <span className="field-hint block mono">
                  {client.file}
                  {!client.exists && ' (not created yet)'}
                </span>
                {client.problem && <span className="field-error block">{client.problem}</span>}
              </span>
            </label>
          )
        })}
        {errors.enabledClients && <p className="field-error">{errors.enabledClients}</p>}
      </fieldset>

      <fieldset className="settings-section">
        <legend>App</legend>
        {form.startAtLogin !== undefined && (
          <label className="check-row">
            <input type="checkbox" checked={form.startAtLogin} onChange={(event) => set({ startAtLogin: event.target.checked })} />
            <span>Start MCP Tray when I log in</span>
          </label>
        )}
        <div className="form-grid">
          <SettingsField label="Dashboard port" value={form.dashboardPort} error={errors.dashboardPort} hint={`The headless dashboard’s address stays the same between runs. ${atRestart}`} onChange={(dashboardPort) => set({ dashboardPort })} />
          <SettingsField label="Stop when idle after (minutes)" value={form.idleStopMinutes} error={errors.idleStopMinutes} hint="A hub a proxy started stops once nothing has needed it this long." onChange={(idleStopMinutes) => set({ idleStopMinutes })} />
        </div>
      </fieldset>

      {refusalElsewhere && save.status === 'failed' && (
        <Notice tone="error" title="The settings were not saved.">
          {save.error}
        </Notice>
      )}
      <div className="form-actions form-actions-sticky">
        <button type="submit" className="btn btn-primary" disabled={!dirty || save.status === 'saving'}>
          {save.status === 'saving' ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn" disabled={!dirty} onClick={() => {
          setForm(settingsFormOf(settings))
          setErrors({})
        }}>
          Revert
        </button>
        <span role="status" className={Object.keys(errors).length > 0 ? 'save-status save-status-error' : 'save-status'}>
          {Object.keys(errors).length > 0 ? 'Fix the fields marked in red.' : save.status === 'saved' && !dirty ? '✓ Saved' : ''}
        </span>
      </div>
    </form>
  )
}
