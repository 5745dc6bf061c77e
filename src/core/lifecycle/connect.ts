import { randomUUID } from 'node:crypto'
import type { ClientId } from '../../shared/client-ids'
import type { ConnectProgress, ConnectRequest, ConnectResult, ConnectStep } from '../../shared/connect'
import type { InstallOutcome } from '../../shared/server-view'
import { describeError, TrayError } from '../../shared/tray-error'
import type { ClientConfigs } from '../clients/client-configs'
import { clientKinds } from '../clients/client-kinds'
import { signInWatched } from '../hub/watched-sign-in'
import type { AuthStatus } from '../oauth/server-auth-record'
import type { ServerEntry } from '../registry/server-entry'
import { addServerEntry, checkReachable } from './add-server'
import type { ClaudeDesktopControl } from './claude-desktop'
import { checkInstallable, connectClients, needsRestart, outcomeOf } from './client-installs'
import type { LifecycleDeps } from './lifecycle-deps'
import { snapshotServerSecrets } from './server-secrets'
import { summaryOf } from './server-summary'

export type ConnectProgressListener = (progress: ConnectProgress) => void

interface ConnectRun {
  readonly deps: LifecycleDeps
  readonly configs: ClientConfigs
  readonly claude: ClaudeDesktopControl
  readonly request: ConnectRequest
  readonly signal: AbortSignal | undefined
  tell(step: ConnectStep, state: ConnectProgress['state'], message: string, signInUrl?: string): void
}

/**
 * The one-step connect every surface runs: add the server when new (named from its URL unless a
 * name is given) → sign in when needed (the hub's one flow per server) → write its entry into the
 * chosen clients' files → say whether Claude Desktop must be restarted, and restart it when asked.
 *
 * What a failure leaves (each step reports it, with what to do):
 * - nothing changes before the clients' files are known to take the entry (they parse, and the
 *   name is not an entry someone else wrote), and a new server's address is known to answer;
 * - a failed or cancelled sign-in undoes the add: a server this connect added is forgotten, with
 *   its secrets, and one already there is put back as it was. A person who gave up or mistyped
 *   expects to find nothing half-made; connecting again starts afresh;
 * - a failed write keeps the server added and signed in: the sign-in was the person's effort, the
 *   file is the problem. Each file is written whole or not at all; connecting again once it is
 *   fixed needs no new sign-in. No entry is ever written for a server that is not kept.
 */
export async function connect(
  deps: LifecycleDeps,
  parts: { configs: ClientConfigs; claude: ClaudeDesktopControl },
  request: ConnectRequest,
  onProgress?: ConnectProgressListener,
  signal?: AbortSignal,
): Promise<ConnectResult> {
  const runId = request.runId ?? randomUUID()
  let server: string | undefined
  const run: ConnectRun = {
    deps,
    ...parts,
    request,
    signal,
    tell(step, state, message, signInUrl) {
      try {
        onProgress?.({ runId, ...(server === undefined ? {} : { server }), step, state, message, ...(signInUrl === undefined ? {} : { signInUrl }) })
      } catch {
        // Telling how it goes must never cost the connect itself.
      }
    },
  }
  const clients = request.clients && request.clients.length > 0 ? [...new Set(request.clients)] : connectClients(deps.registry.settings())

  let target: { name: string; existing: ServerEntry | undefined; url: string }
  try {
    target = resolveTarget(run)
  } catch (error) {
    throw failed(run, 'add', error)
  }
  server = target.name
  try {
    await checkInstallable(run.configs, clients, target.name)
  } catch (error) {
    throw failed(run, 'install', error)
  }

  // Add.
  run.tell('add', 'running', target.existing ? `Using ${target.name} (${target.existing.url}).` : `Adding ${target.url} as ${target.name}…`)
  const restoreSecrets = await snapshotServerSecrets(deps.engine.vault, target.name)
  let entry: ServerEntry
  let created: boolean
  try {
    if (!target.existing) await checkReachable(target.url, request.headers ?? {}, deps.fetch ?? deps.engine.fetch)
    ;({ server: entry, created } = await addServerEntry(deps, { ...request, url: target.url, name: target.name }))
  } catch (error) {
    await restoreSecrets().catch(() => undefined)
    throw failed(run, 'add', error)
  }
  const undo = async (): Promise<string> => {
    if (created) {
      deps.registry.remove(entry.name)
      deps.status.forget(entry.name)
    } else if (target.existing) {
      deps.registry.replace(entry.name, target.existing)
    }
    await restoreSecrets()
    return created ? `${entry.name} was not kept.` : ''
  }
  run.tell('add', created ? 'done' : 'skipped', created ? `Added ${entry.name} (${entry.url}).` : `${entry.name} is already added (${entry.url}).`)

  // Sign in.
  let auth: AuthStatus
  try {
    throwIfCancelled(run, entry.name)
    auth = await signInStep(run, entry)
  } catch (error) {
    const undone = await undo().catch((cause: unknown) => `Undoing the add failed too: ${describeError(cause)}`)
    throw failed(run, 'sign-in', error, undone)
  }

  // Install.
  const installed = await installStep(run, entry.name, clients)

  // Restart.
  const restarted = await restartStep(run, entry.name, installed)
  const restartNeeded = installed.filter((outcome) => outcome.restartNeeded && !restarted.includes(outcome.client)).map((outcome) => outcome.client)
  return { server: entry.name, created, signIn: summaryOf(auth), installed, restartNeeded, restarted }
}

function resolveTarget(run: ConnectRun): { name: string; existing: ServerEntry | undefined; url: string } {
  const { registry } = run.deps
  const { url, name } = run.request
  if (url !== undefined) {
    const existing = registry.findByUrl(url)
    if (existing) return { name: existing.name, existing, url: existing.url }
    return { name: name ?? registry.suggestName(url), existing: undefined, url: new URL(url).href }
  }
  if (name !== undefined) {
    const existing = registry.require(name)
    return { name, existing, url: existing.url }
  }
  throw new TrayError('connect_bad_request', 'Connect needs the address of a server, or the name of one already added.', {
    hint: 'Give the full https:// address of the MCP endpoint.',
  })
}

async function signInStep(run: ConnectRun, entry: ServerEntry): Promise<AuthStatus> {
  const { engine, signIns, status } = run.deps
  const name = entry.name
  const now = await engine.tokens.status(name)
  if (now.state === 'signed-in') {
    run.tell('sign-in', 'skipped', `Already signed in to ${name}.`)
    return now
  }
  run.tell('sign-in', 'running', `Signing in to ${name}…`)
  const joined = signIns.addressSoFar(name)
  if (joined !== undefined) run.tell('sign-in', 'running', `A sign-in to ${name} already waits in the browser. If no browser opened, visit:\n${joined}`, joined)
  const stop = engine.signIn.onProgress((message, server, detail) => {
    if (server === name) run.tell('sign-in', 'running', message, detail?.url)
  })
  try {
    const signedIn = await untilCancelled(run, name, signInWatched({ engine, signIns, observer: status }, entry, run.signal ? { signal: run.signal } : {}))
    run.tell('sign-in', 'done', `Signed in to ${name}${signedIn.scopes?.length ? ` (scopes: ${signedIn.scopes.join(' ')})` : ''}.`)
    return signedIn
  } catch (error) {
    if (!(error instanceof TrayError) || error.code !== 'sign_in_not_required') throw error
    run.tell('sign-in', 'skipped', `${name} answers without sign-in.`)
    return engine.tokens.status(name)
  } finally {
    stop()
  }
}

async function installStep(run: ConnectRun, name: string, clients: readonly ClientId[]): Promise<InstallOutcome[]> {
  run.tell('install', 'running', `Adding ${name} to ${clients.map((client) => clientKinds[client].displayName).join(', ')}…`)
  const installed: InstallOutcome[] = []
  const problems: { client: ClientId; error: unknown }[] = []
  for (const client of clients) {
    const kind = clientKinds[client]
    try {
      const change = await run.configs.install(client, name)
      installed.push(outcomeOf(change, await needsRestart(client, change.changed, run.claude)))
      const advice = change.changed && client !== 'claude-desktop' ? ` ${kind.reloadAdvice}` : ''
      run.tell('install', 'running', change.changed ? `${kind.displayName} now starts ${name} through MCP Tray (${change.file}).${advice}` : `${kind.displayName} already starts ${name} through MCP Tray.`)
    } catch (error) {
      problems.push({ client, error })
    }
  }
  const first = problems[0]
  if (first) {
    const names = problems.map((problem) => clientKinds[problem.client].displayName).join(', ')
    const message = problems.map((problem) => describeError(problem.error)).join(' ')
    const error = new TrayError(first.error instanceof TrayError ? first.error.code : 'client_config_failed', `${names}: ${message}`, {
      hint: `${name} stays added and signed in. Fix the file, then connect ${name} again (\`mcp-tray connect ${name}\`): no new sign-in is needed.`,
      cause: first.error,
    })
    throw failed(run, 'install', error)
  }
  run.tell('install', 'done', `${name} is in ${installed.map((outcome) => clientKinds[outcome.client].displayName).join(', ')}.`)
  return installed
}

async function restartStep(run: ConnectRun, name: string, installed: readonly InstallOutcome[]): Promise<ClientId[]> {
  const claude = installed.find((outcome) => outcome.client === 'claude-desktop')
  if (!claude?.restartNeeded) {
    const why = claude?.changed ? `Claude Desktop is not running; it starts ${name} when it starts.` : 'Nothing needs a restart.'
    run.tell('restart', 'skipped', why)
    return []
  }
  if (!run.request.restartClient) {
    run.tell('restart', 'skipped', `Claude Desktop must be restarted to start ${name}. ${clientKinds['claude-desktop'].reloadAdvice}`)
    return []
  }
  run.tell('restart', 'running', 'Restarting Claude Desktop…')
  try {
    const outcome = await run.claude.restart()
    run.tell('restart', outcome.restarted ? 'done' : 'skipped', outcome.message)
    return outcome.restarted ? ['claude-desktop'] : []
  } catch (error) {
    // Everything else is done: a restart that failed is said, not thrown.
    run.tell('restart', 'failed', `Claude Desktop could not be restarted: ${describeError(error)} Quit it fully and start it again.`)
    return []
  }
}

const stepWords: Record<ConnectStep, string> = {
  add: 'adding the server',
  'sign-in': 'signing in',
  install: 'adding it to the clients',
  restart: 'restarting the client',
}

/** Reports the step's failure and gives the error to throw: which step, why, what was undone, what to do. */
function failed(run: ConnectRun, step: ConnectStep, error: unknown, undone = ''): TrayError {
  const original = error instanceof TrayError ? error : undefined
  const why = original?.message ?? (error instanceof Error ? error.message : String(error))
  const hint = original?.hint ?? (step === 'add' || step === 'sign-in' ? 'Check the address and that the server is up, then connect again.' : undefined)
  const message = `Connect stopped while ${stepWords[step]}: ${why}${undone ? ` ${undone}` : ''}`
  const wrapped = new TrayError(original?.code ?? 'connect_failed', message, { ...(hint === undefined ? {} : { hint }), cause: error })
  run.tell(step, 'failed', describeError(wrapped))
  return wrapped
}

function cancelled(name: string): TrayError {
  return new TrayError('connect_cancelled', `Connect to ${name} was cancelled.`, { hint: 'Connect again when you are ready.' })
}

function throwIfCancelled(run: ConnectRun, name: string): void {
  if (run.signal?.aborted) throw cancelled(name)
}

/**
 * Waits for `work` until the connect is cancelled. A sign-in this connect started ends with it (its
 * signal reaches the flow); one it joined goes on for the proxies waiting on it.
 */
function untilCancelled<T>(run: ConnectRun, name: string, work: Promise<T>): Promise<T> {
  const { signal } = run
  if (!signal) return work
  if (signal.aborted) return Promise.reject(cancelled(name))
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(name))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(signal.aborted ? cancelled(name) : error)),
    )
  })
}
