import { describeError, TrayError } from '../../shared/tray-error'
import type { OAuthEngine } from '../oauth/oauth-engine'
import type { AuthStatus } from '../oauth/server-auth-record'
import type { ServerEntry } from '../registry/server-entry'
import type { HubSignIns } from './hub-sign-ins'
import type { SignInObserver } from './server-status'

/** What a sign-in a person asked for runs on in the hub: the engine, the shared flow and the status board. */
export interface WatchedSignInParts {
  readonly engine: Pick<OAuthEngine, 'tokens'>
  readonly signIns: HubSignIns
  readonly observer: SignInObserver
}

export interface WatchedSignInOptions {
  /**
   * When the person asked (epoch ms): a sign-in that finished since then, such as the one a proxy
   * started at the same moment, answers the request instead of opening the browser again.
   */
  readonly since?: number
  /** Ends a flow this request starts; a flow it joins goes on for the others waiting on it. */
  readonly signal?: AbortSignal
}

/**
 * A sign-in a person asked for (`mcp-tray login`, Connect, Sign in in the tray or the dashboard):
 * it joins the server's running flow or starts one, and the status board hears of it either way.
 * Every surface signs in through here, so that none of them leaves the board behind.
 */
export async function signInWatched(parts: WatchedSignInParts, entry: ServerEntry, options: WatchedSignInOptions = {}): Promise<AuthStatus> {
  const { engine, signIns, observer } = parts
  const server = entry.name
  if (options.since !== undefined && signIns.finishedSince(server, options.since)) {
    const status = await engine.tokens.status(server)
    if (status.state === 'signed-in') return status
  }
  observer.signingIn(server)
  try {
    const { status } = await signIns.run(entry, options.signal ? { signal: options.signal } : {})
    observer.signedIn(server)
    return status
  } catch (error) {
    // A new sign-in that failed leaves an earlier one in place (the flow saves only on success):
    // the board says sign-in needed only when no usable sign-in is left, or none was ever needed.
    const left = await engine.tokens.status(server)
    if (left.state === 'signed-in' || (error instanceof TrayError && error.code === 'sign_in_not_required')) observer.signedIn(server)
    else observer.signInNeeded(server, describeError(error))
    throw error
  }
}

/** As `TokenService.signOut` gives it: whether the server was asked to revoke, and what went wrong. */
export interface SignOutResult {
  readonly revoked: boolean
  readonly problem?: string
}

/** Signs out (RFC 7009 revocation where offered) and tells the board and the shared flow. */
export async function signOutWatched(parts: WatchedSignInParts, server: string): Promise<SignOutResult> {
  const result = await parts.engine.tokens.signOut(server)
  parts.signIns.forget(server)
  // Proxies still attached will fail until someone signs in again: they need attention. With
  // none, a signed-out server is at rest, as it is after a restart of the hub.
  parts.observer.signedOut(server, `Signed out of ${server}: sign in again to use it.`)
  return { revoked: result.revoked, ...(result.problem === undefined ? {} : { problem: result.problem }) }
}
