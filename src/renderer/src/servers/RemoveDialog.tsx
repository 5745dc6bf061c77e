import { Dialog } from '../components/Dialog'

/** Confirms removing a server, saying everything it undoes. */
export function RemoveDialog({ name, clients, error, busy, onRemove, onClose }: { readonly name: string; readonly clients: readonly string[]; readonly error: string | undefined; readonly busy: boolean; readonly onRemove: () => void; readonly onClose: () => void }) {
  return (
    <Dialog
      open
      title={`Remove ${name}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={onRemove}>
            {busy ? 'Removing…' : 'Remove server'}
          </button>
        </>
      }
    >
      <p>MCP Tray will sign out of {name}, forget its tokens and options{clients.length > 0 ? `, and remove its entry from ${clients.join(' and ')}` : ''}.</p>
      <p className="muted">You can add it again later; you will have to sign in again.</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}
