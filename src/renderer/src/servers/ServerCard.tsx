import { useState } from 'react'
import type { ClientInfo, ServerView } from '../../../shared/dashboard-api'
import { routeHash } from '../app/hash-route'
import { CopyButton } from '../components/CopyButton'
import { MenuButton, type MenuItem } from '../components/MenuButton'
import { Spinner } from '../components/Spinner'
import { countWords } from '../words/size-words'
import { expiryWords, relativeWords } from '../words/time-words'
import { RemoveDialog } from './RemoveDialog'
import { RenameDialog } from './RenameDialog'
import { proxiesWords, signInWords } from './server-words'
import { ServerStateBadge } from './ServerStateBadge'
import { Sparkline } from './Sparkline'
import { useServerActions, type ServerActionName } from './use-server-actions'

const busyWords: Readonly<Record<ServerActionName, string>> = {
  connect: 'Connecting…',
  'sign-in': 'Signing in…',
  'sign-out': 'Signing out…',
  install: 'Installing…',
  uninstall: 'Uninstalling…',
  rename: 'Renaming…',
  remove: 'Removing…',
}

/** One server: its state, sign-in, activity and installs, what went wrong, and what can be done. */
export function ServerCard({ server, clients, now }: { readonly server: ServerView; readonly clients: readonly ClientInfo[]; readonly now: number }) {
  const actions = useServerActions(server.server)
  const [dialog, setDialog] = useState<'rename' | 'remove'>()
  const clientName = (id: string): string => clients.find((client) => client.id === id)?.displayName ?? id
  const installedNames = server.clients.map(clientName)
  const signedIn = server.signIn.state === 'signed-in'
  const needsSignIn = server.state === 'sign-in-needed' || server.signIn.state === 'sign-in-needed'
  const titleId = `server-${server.server}`

  const installItems: MenuItem[] = clients.map((client) => {
    const installed = server.clients.includes(client.id)
    return {
      key: client.id,
      label: client.displayName,
      detail: client.file,
      checked: installed,
      onSelect: () => void (installed ? actions.uninstall(client.id) : actions.install(client.id)),
    }
  })
  const moreItems: MenuItem[] = [
    ...(signedIn ? [{ key: 'sign-out', label: 'Sign out', onSelect: () => void actions.signOut() }] : []),
    { key: 'rename', label: 'Rename…', onSelect: () => setDialog('rename') },
    { key: 'remove', label: 'Remove…', danger: true, onSelect: () => setDialog('remove') },
  ]

  return (
    <article className={`server-card server-card-${server.state}`} aria-labelledby={titleId}>
      <header className="server-card-head">
        <div className="server-card-title">
          <h2 id={titleId}>{server.server}</h2>
          <ServerStateBadge state={server.state} />
          {server.revision && <span className="chip" title="MCP protocol revision">{server.revision}</span>}
        </div>
        <div className="server-card-actions">
          {actions.busy && <Spinner label={busyWords[actions.busy]} />}
          {needsSignIn ? (
            <button type="button" className="btn btn-primary" disabled={actions.busy !== undefined} onClick={() => void actions.signIn()}>
              Sign in
            </button>
          ) : (
            (server.clients.length === 0 || server.signIn.state !== 'signed-in') && (
              <button type="button" className="btn btn-primary" disabled={actions.busy !== undefined || server.state === 'signing-in'} onClick={() => void actions.connect()}>
                Connect
              </button>
            )
          )}
          {!signedIn && !needsSignIn && server.signIn.state === 'signed-out' && server.state !== 'signing-in' && (
            <button type="button" className="btn" disabled={actions.busy !== undefined} onClick={() => void actions.signIn()}>
              Sign in
            </button>
          )}
          <MenuButton label="Install in" accessibleLabel={`Install in, for ${server.server}`} items={installItems} />
          <a className="btn" href={routeHash({ name: 'log', server: server.server })}>
            Open log
          </a>
          <a className="btn" href={routeHash({ name: 'doctor', server: server.server })}>
            Doctor
          </a>
          <MenuButton label="More" accessibleLabel={`More actions for ${server.server}`} items={moreItems} />
        </div>
      </header>

      <p className="server-url">{server.url}</p>

      {server.pendingSignIn && (
        <div className="callout callout-info" role="status">
          <p>
            <strong>Waiting for sign-in in your browser.</strong> {server.pendingSignIn.message}
          </p>
          {server.pendingSignIn.url && (
            <div className="address-row">
              <span className="address-label">If no browser opened, open this address:</span>
              <code className="address">{server.pendingSignIn.url}</code>
              <CopyButton text={server.pendingSignIn.url} label="Copy address" />
            </div>
          )}
        </div>
      )}

      {(server.state === 'error' || needsSignIn) && (server.lastError || server.signIn.problem) && (
        <div className={`callout ${server.state === 'error' ? 'callout-error' : 'callout-warning'}`}>
          <p>{server.state === 'error' ? (server.lastError ?? server.signIn.problem) : (server.signIn.problem ?? server.lastError)}</p>
          {server.diagnosis && (
            <p className="callout-actions">
              <span className="muted">Diagnosis: {server.diagnosis}</span>
              <a className="btn btn-small" href={routeHash({ name: 'doctor', server: server.server })}>
                Run doctor
              </a>
            </p>
          )}
        </div>
      )}

      {actions.error && !dialog && (
        <div className="callout callout-error" role="alert">
          <p>{actions.error}</p>
          <button type="button" className="btn btn-small btn-quiet" onClick={actions.clear}>
            Dismiss
          </button>
        </div>
      )}
      {actions.outcome && (
        <div className="callout callout-info" role="status">
          <p>{actions.outcome}</p>
          <button type="button" className="btn btn-small btn-quiet" onClick={actions.clear}>
            Dismiss
          </button>
        </div>
      )}

      <dl className="server-facts">
        <div>
          <dt>Sign-in</dt>
          <dd>
            {signInWords(server.signIn)}
            {server.signIn.expiresAt !== undefined && signedIn && (
              <span className={server.signIn.expiresAt <= now ? 'text-warning' : 'muted'}> · {expiryWords(server.signIn.expiresAt, now)}</span>
            )}
            {server.signIn.scopes && server.signIn.scopes.length > 0 && (
              <span className="scopes">
                {server.signIn.scopes.map((scope) => (
                  <span key={scope} className="chip">
                    {scope}
                  </span>
                ))}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Activity</dt>
          <dd>
            {proxiesWords(server.proxies)}
            <span className="muted">
              {' · '}
              {server.lastActivity ? `last active ${relativeWords(Math.min(Date.parse(server.lastActivity), now), now)}` : 'no activity yet'}
              {server.requests > 0 && ` · ${countWords(server.requests)} ${server.requests === 1 ? 'request' : 'requests'}, ${countWords(server.errors)} ${server.errors === 1 ? 'error' : 'errors'}`}
            </span>
          </dd>
        </div>
        <div>
          <dt>Latency</dt>
          <dd>
            <Sparkline values={server.recentLatencyMs} />
          </dd>
        </div>
        <div>
          <dt>Installed in</dt>
          <dd>{installedNames.length > 0 ? installedNames.join(', ') : <span className="muted">No client yet: use Connect or Install in</span>}</dd>
        </div>
      </dl>

      {dialog === 'rename' && (
        <RenameDialog
          name={server.server}
          error={actions.error}
          busy={actions.busy === 'rename'}
          onClose={() => {
            actions.clear()
            setDialog(undefined)
          }}
          onRename={(newName) => void actions.rename(newName).then((done) => done && setDialog(undefined))}
        />
      )}
      {dialog === 'remove' && (
        <RemoveDialog
          name={server.server}
          clients={installedNames}
          error={actions.error}
          busy={actions.busy === 'remove'}
          onClose={() => {
            actions.clear()
            setDialog(undefined)
          }}
          onRemove={() => void actions.remove().then((done) => done && setDialog(undefined))}
        />
      )}
    </article>
  )
}
