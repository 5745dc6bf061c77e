import type { OAuthEngine } from '../oauth/oauth-engine'
import type { AuthStatus } from '../oauth/server-auth-record'
import type { ServerRegistry } from '../registry/server-registry'
import { signInProgressEvent, type SignInProgress } from './hub-protocol'
import type { HubHandler } from './hub-server'
import type { HubSignIns } from './hub-sign-ins'
import type { SignInObserver } from './server-status'
import { serverParams } from './token-handlers'
import { signInWatched, signOutWatched } from './watched-sign-in'

export interface SignInParams {
  readonly server: string
  /**
   * When the person asked (epoch ms): a sign-in that finished since then, such as the one a proxy
   * started at the same moment, answers the request instead of opening the browser again.
   */
  readonly since?: number
}

/** What `mcp-tray login` prints: expiry and scopes. Never a token. */
export interface SignInReply {
  readonly status: AuthStatus
}

/**
 * What `mcp-tray status` shows of each server's sign-in, as the hub (which alone can open what the
 * app sealed with the keychain) reads it; never a token. And how the hub protects its secrets.
 */
export interface SignInStatusReply {
  /** `signInUrl`: where a sign-in running now waits for the person, when no browser opened. */
  readonly servers: readonly (AuthStatus & { readonly name: string; readonly url: string; readonly signInUrl?: string })[]
  readonly cipher: { readonly label: string; readonly weak: boolean }
}

/** As `TokenService.signOut` gives it: whether the server was asked to revoke, and what went wrong. */
export interface SignOutReply {
  readonly revoked: boolean
  readonly problem?: string
}

/**
 * Sign-in and sign-out asked for by a person (`mcp-tray login` / `logout` while the hub runs), so
 * that only the hub runs OAuth, binds the callback port and reads the vault, and the status board
 * hears of it. A sign-in joins the one a proxy may be running for the same server.
 */
export function signInHandlers(
  engine: OAuthEngine,
  registry: ServerRegistry,
  observer: SignInObserver,
  signIns: HubSignIns,
): Map<string, HubHandler> {
  return new Map<string, HubHandler>([
    [
      'signIn',
      async (params, peer) => {
        const { server, since } = signInParams(params)
        // An unknown name is refused before the status model hears of it.
        const entry = registry.require(server)
        for (const message of signIns.toldSoFar(server)) peer.send({ event: signInProgressEvent, data: { server, message } satisfies SignInProgress })
        const status = await signInWatched({ engine, signIns, observer }, entry, since === undefined ? {} : { since })
        return { status } satisfies SignInReply
      },
    ],
    [
      'signOut',
      async (params) => {
        const { server } = serverParams(params)
        registry.require(server)
        return (await signOutWatched({ engine, signIns, observer }, server)) satisfies SignOutReply
      },
    ],
    [
      'signInStatus',
      async () =>
        ({
          servers: await Promise.all(
            registry.list().map(async ({ name, url }) => {
              const waiting = signIns.addressSoFar(name)
              return { name, url, ...(await engine.tokens.status(name)), ...(waiting === undefined ? {} : { signInUrl: waiting }) }
            }),
          ),
          cipher: { label: engine.vault.cipher.label, weak: engine.vault.cipher.weak },
        }) satisfies SignInStatusReply,
    ],
  ])
}

function signInParams(params: unknown): SignInParams {
  const { server } = serverParams(params)
  const since = (params as Partial<SignInParams>).since
  return { server, ...(typeof since === 'number' && Number.isFinite(since) ? { since } : {}) }
}
