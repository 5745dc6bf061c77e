import type { RedirectHost } from '../../../shared/dashboard-api'
import { LabelledField } from '../components/LabelledField'
import type { ServerForm, ServerFormErrors } from './server-form'

type Change = (change: Partial<ServerForm>) => void

function TextField({ label, value, onChange, hint, error, type = 'text', placeholder, inputMode }: { readonly label: string; readonly value: string; readonly onChange: (value: string) => void; readonly hint?: string; readonly error?: string | undefined; readonly type?: string; readonly placeholder?: string; readonly inputMode?: 'numeric' | 'text' }) {
  return (
    <LabelledField label={label} hint={hint} error={error}>
      {(control) => <input {...control} className="input" type={type} value={value} placeholder={placeholder} inputMode={inputMode} autoComplete="off" spellCheck={false} onChange={(event) => onChange(event.target.value)} />}
    </LabelledField>
  )
}

/** The options most servers do not need: timeout, scopes, a client of one's own, headers, redirect host. */
export function AdvancedOptions({ form, errors, onChange }: { readonly form: ServerForm; readonly errors: ServerFormErrors; readonly onChange: Change }) {
  const setHeader = (index: number, change: Partial<{ name: string; value: string }>): void =>
    onChange({ headers: form.headers.map((header, i) => (i === index ? { ...header, ...change } : header)) })
  return (
    <div className="advanced">
      <div className="form-grid">
        <TextField label="Timeout (seconds)" value={form.timeoutSeconds} inputMode="numeric" placeholder="App default" hint="How long a request may take before the proxy answers with an error." error={errors.timeoutSeconds} onChange={(timeoutSeconds) => onChange({ timeoutSeconds })} />
        <TextField label="Scopes" value={form.scope} placeholder="As the server asks" hint="Space-separated, e.g. read write." onChange={(scope) => onChange({ scope })} />
        <TextField label="Client ID" value={form.clientId} hint="Only when the server’s owner gave you one." onChange={(clientId) => onChange({ clientId })} />
        <TextField label="Client secret" type="password" value={form.clientSecret} hint="Kept encrypted; never shown again." onChange={(clientSecret) => onChange({ clientSecret })} />
        <LabelledField label="Redirect host" hint="Some authorization servers accept only one form of the loopback address.">
          {(control) => (
            <select {...control} className="input" value={form.redirectHost} onChange={(event) => onChange({ redirectHost: event.target.value as RedirectHost | '' })}>
              <option value="">App default (127.0.0.1)</option>
              <option value="127.0.0.1">127.0.0.1</option>
              <option value="localhost">localhost</option>
              <option value="[::1]">[::1]</option>
            </select>
          )}
        </LabelledField>
      </div>
      <fieldset className="headers">
        <legend>Extra headers</legend>
        <p className="field-hint">Sent with every request (an API key, a tenant). Values are kept encrypted.</p>
        {form.headers.map((header, index) => (
          <div className="header-row" key={index}>
            <input className="input" aria-label={`Header ${index + 1} name`} placeholder="Name" value={header.name} spellCheck={false} onChange={(event) => setHeader(index, { name: event.target.value })} />
            <input className="input" aria-label={`Header ${index + 1} value`} placeholder="Value" type="password" autoComplete="off" value={header.value} onChange={(event) => setHeader(index, { value: event.target.value })} />
            <button type="button" className="btn btn-quiet" aria-label={`Remove header ${index + 1}`} onClick={() => onChange({ headers: form.headers.filter((_, i) => i !== index) })}>
              Remove
            </button>
          </div>
        ))}
        {errors.headers && <p className="field-error">{errors.headers}</p>}
        <button type="button" className="btn btn-small" onClick={() => onChange({ headers: [...form.headers, { name: '', value: '' }] })}>
          Add header
        </button>
      </fieldset>
    </div>
  )
}
