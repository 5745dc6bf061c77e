import { useId, useState } from 'react'
import { Dialog } from '../components/Dialog'

/** Asks for a server's new name; the hub's refusal (a name taken) shows under the field. */
export function RenameDialog({ name, error, busy, onRename, onClose }: { readonly name: string; readonly error: string | undefined; readonly busy: boolean; readonly onRename: (newName: string) => void; readonly onClose: () => void }) {
  const [value, setValue] = useState(name)
  const fieldId = useId()
  const errorId = useId()
  const trimmed = value.trim()
  return (
    <Dialog
      open
      title={`Rename ${name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={`${fieldId}-form`} className="btn btn-primary" disabled={busy || trimmed === '' || trimmed === name}>
            {busy ? 'Renaming…' : 'Rename'}
          </button>
        </>
      }
    >
      <form
        id={`${fieldId}-form`}
        onSubmit={(event) => {
          event.preventDefault()
          if (trimmed !== '' && trimmed !== name) onRename(trimmed)
        }}
      >
        <div className="field">
          <label htmlFor={fieldId}>New name</label>
          <input id={fieldId} className="input" value={value} autoFocus aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} onChange={(event) => setValue(event.target.value)} />
          {error && (
            <p id={errorId} className="field-error" role="alert">
              {error}
            </p>
          )}
          <p className="field-hint">The entries in your clients’ config files follow the new name.</p>
        </div>
      </form>
    </Dialog>
  )
}
