import type { Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'
import { explainFailure } from '../../core/doctor/explain-failure'
import type { HubConnection } from '../../core/hub/hub-client'
import { signInProgressEvent, type SignInProgress } from '../../core/hub/hub-protocol'
import type { SignInReply } from '../../core/hub/sign-in-handlers'
import type { AuthStatus } from '../../core/oauth/server-auth-record'
import { readRegistrySnapshot } from '../../core/registry/registry-snapshot'
import { openConfStore } from '../../core/registry/registry-store'
import { ServerRegistry } from '../../core/registry/server-registry'
import { TrayError } from '../../shared/tray-error'
import { describeExpiry, openHeadlessOAuth } from './headless-oauth'
import { hubForCommand } from './hub-session'
import { isUnknownMethod } from './running-hub'
import { safeText } from '../../shared/safe-text'

/**
 * How much longer than the engine's own sign-in limit (`signInTimeoutMs`, the wait for the browser)
 * the command waits for the hub: discovery, registration and the code exchange come on top of it.
 */
const hubSignInMarginMs = 30_000

/**
 * `mcp-tray login <name>`: the interactive sign-in in the browser. The hub signs in (one flow shared
 * with any proxy or other login asking at the same moment; its browser, its callback port, its
 * vault), started in the background when none runs, as a proxy would start it.
 */
export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('Sign in to a server in your browser.')
    .argument('<name>', 'the server name (see `mcp-tray list`)')
    .action(async (name: string) => {
      const askedAt = Date.now()
      const dataDir = resolveDataDir()
      // An unknown name fails here, before a hub is started for nothing.
      new ServerRegistry(await readRegistrySnapshot(dataDir)).require(name)
      const hub = await hubForCommand()
      try {
        const status = await signInThroughHub(hub, dataDir, name, askedAt)
        if (status) return printSignedIn(name, status)
      } finally {
        hub.close()
      }
      // A hub from before `signIn` (an older app): sign in here, as then.
      const { registry, engine } = await openHeadlessOAuth()
      const server = registry.require(name)
      const controller = new AbortController()
      const cancel = (): void => controller.abort(new Error('interrupted'))
      process.on('SIGINT', cancel)
      try {
        const { status } = await engine.signIn.run(server, { signal: controller.signal })
        printSignedIn(name, status)
      } finally {
        process.off('SIGINT', cancel)
      }
    })
}

function printSignedIn(name: string, status: AuthStatus): void {
  process.stdout.write(`Signed in to ${name} (${describeExpiry(status.expiresAt)}; scopes: ${status.scopes?.join(' ') || 'none'}).\n`)
}

/**
 * Asks the hub to sign in, bounded by its sign-in limit plus a margin; Ctrl+C stops waiting (the
 * hub's flow goes on: the browser page stays usable, and proxies may be sharing it). Undefined
 * when the hub predates `signIn`.
 */
async function signInThroughHub(hub: HubConnection, dataDir: string, name: string, askedAt: number): Promise<AuthStatus | undefined> {
  const registry = new ServerRegistry(openConfStore(dataDir))
  // The same list the hub reads: an unknown name fails here, before the line below promises a browser.
  const { url } = registry.require(name)
  const waitMs = registry.settings().signInTimeoutMs + hubSignInMarginMs
  process.stderr.write(`MCP Tray opens the browser to sign in to ${name}; waiting up to ${describeWait(waitMs)} for it to finish (Ctrl+C stops waiting).\n`)
  let stop = (): void => {}
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = () =>
      reject(
        new TrayError('sign_in_wait_stopped', `Stopped waiting for the sign-in to ${name}.`, {
          hint: 'MCP Tray keeps the sign-in open in the browser until it is finished or times out; `mcp-tray status` shows how it ended.',
        }),
      )
  })
  process.on('SIGINT', stop)
  // Where to sign in if no browser opens, and how it went, as the hub's flow says it.
  hub.onEvent((event) => {
    const progress = event.data as Partial<SignInProgress> | undefined
    if (event.event === signInProgressEvent && progress?.server === name && typeof progress.message === 'string') process.stderr.write(`${safeText(progress.message)}\n`)
  })
  try {
    const reply = await Promise.race([hub.call<SignInReply>('signIn', { server: name, since: askedAt }, { timeoutMs: waitMs }), stopped])
    return reply.status
  } catch (error) {
    if (isUnknownMethod(error)) return undefined
    if (error instanceof TrayError && error.code === 'hub_timeout') {
      throw new TrayError('sign_in_timeout', `MCP Tray did not finish the sign-in to ${name} within ${describeWait(waitMs)}.`, {
        hint: 'Finish it in the browser window MCP Tray opened, or open MCP Tray to see what it is waiting for; then run `mcp-tray login` again.',
        cause: error,
      })
    }
    // In the doctor's words: a server that is down, a URL with no MCP endpoint, with the doctor named.
    throw await explainFailure(error, { server: name, url })
  } finally {
    process.off('SIGINT', stop)
  }
}

/** "50 s", "6 min". */
function describeWait(ms: number): string {
  return ms < 120_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.ceil(ms / 60_000)} min`
}
