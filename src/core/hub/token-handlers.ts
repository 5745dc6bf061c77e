import { describeError, TrayError } from '../../shared/tray-error'
import type { OAuthEngine } from '../oauth/oauth-engine'
import type { ServerRegistry } from '../registry/server-registry'
import type { HubHandler } from './hub-server'
import type { HubSignIns } from './hub-sign-ins'
import type { SignInObserver } from './server-status'

export interface TokenParams {
  readonly server: string
}

export interface RefreshParams {
  readonly server: string
  /** The token the server just refused with 401; empty when the proxy had none to send. */
  readonly stale: string
  /** The 401 challenge's `scope` and `resource_metadata`, when it had them: a first sign-in uses them. */
  readonly scope?: string
  readonly resourceMetadata?: string
}

/** A 403 `insufficient_scope` a proxy got: sign in again with the challenged scope added. */
export interface StepUpParams {
  readonly server: string
  /** The token the server refused for want of scope. */
  readonly stale: string
  /** The challenge's space-separated `scope` (RFC 6750 §3.1). */
  readonly scope: string
  /** The challenge's `resource_metadata` (RFC 9728 §5.1), when it gave one. */
  readonly resourceMetadata?: string
}

export interface TokenReply {
  readonly token: string | null
}

/**
 * How the hub hands tokens to proxies. Only the hub reads the vault; a proxy holds a token in
 * memory only. The engine keeps one sign-in and one refresh per server in flight, however many
 * proxies ask at once.
 */
export function tokenHandlers(
  engine: OAuthEngine,
  registry: ServerRegistry,
  signIn: SignInObserver,
  signIns: HubSignIns,
): Map<string, HubHandler> {
  return new Map<string, HubHandler>([
    [
      'token',
      async (params) => {
        const { server } = serverParams(params)
        const status = await engine.tokens.status(server)
        if (status.state !== 'signed-in') return { token: null } satisfies TokenReply
        return { token: await watchSignIn(signIn, server, () => engine.tokens.getAccessToken(server)) } satisfies TokenReply
      },
    ],
    [
      'refresh',
      async (params) => {
        const { server, stale, scope, resourceMetadata } = refreshParams(params)
        // An unknown name is refused before the status model hears of it: it would show, and count, forever.
        const entry = registry.require(server)
        // The server moved to another authorization server (SEP-2352): the saved sign-in is the old one's, so sign in anew as on first use.
        const moved = stale !== '' && (await engine.tokens.movedAuthorizationServer(server, { ...(scope ? { scope } : {}), ...(resourceMetadata ? { resourceMetadata } : {}) })) !== undefined
        if (stale !== '' && !moved) {
          const token = await watchSignIn(signIn, server, () => engine.tokens.refresh(server, stale))
          signIn.signedIn(server)
          return { token } satisfies TokenReply
        }
        const asked = signIns.now()
        const status = await engine.tokens.status(server)
        // A sign-in that finished while the vault was read (a `mcp-tray login`, another proxy's) answers this one.
        if (status.state !== 'signed-in' && signIns.finishedSince(server, asked)) {
          return { token: await watchSignIn(signIn, server, () => engine.tokens.getAccessToken(server)) } satisfies TokenReply
        }
        if (status.state === 'sign-in-needed' && !moved) {
          signIn.signInNeeded(server, status.problem ?? `Sign-in needed for ${server}.`)
          throw signInNeeded(server)
        }
        // Never signed in: this is the first use, so sign in now (one flow however many proxies ask).
        if (status.state !== 'signed-in' || moved) {
          signIn.signingIn(server)
          try {
            // The proxy's 401 says which scopes to ask for (MCP AZ scope selection); a server that
            // lets initialize through unauthenticated would answer a probe without any.
            const challenged = scope !== undefined || resourceMetadata !== undefined
            const challenge = { ...(scope ? { scope } : {}), ...(resourceMetadata ? { resourceMetadata } : {}) }
            await signIns.run(entry, challenged ? { challenge } : {})
          } catch (error) {
            signIn.signInNeeded(server, describeError(error))
            throw error
          }
          signIn.signedIn(server)
        }
        return { token: await engine.tokens.getAccessToken(server) } satisfies TokenReply
      },
    ],
    [
      'step-up',
      async (params) => {
        const { server, stale, scope, resourceMetadata } = stepUpParams(params)
        const entry = registry.require(server)
        // Another proxy's step-up may have brought the scope meanwhile: hand out that token.
        const status = await engine.tokens.status(server)
        const wanted = scope.split(/\s+/).filter(Boolean)
        if (status.state === 'signed-in' && wanted.length > 0 && wanted.every((name) => status.scopes?.includes(name))) {
          const current = await engine.tokens.getAccessToken(server)
          if (current !== stale) return { token: current } satisfies TokenReply
        }
        // One sign-in per server at a time; the engine asks for the union of scopes and stops after a few in a row.
        // The token held so far still works for everything else, so a failed step-up leaves the server signed in.
        signIn.signingIn(server)
        try {
          await signIns.run(entry, {
            challenge: { error: 'insufficient_scope', ...(scope ? { scope } : {}), ...(resourceMetadata ? { resourceMetadata } : {}) },
          })
        } finally {
          signIn.signedIn(server)
        }
        return { token: await engine.tokens.getAccessToken(server) } satisfies TokenReply
      },
    ],
  ])
}

function signInNeeded(server: string, cause?: unknown): TrayError {
  return new TrayError('sign_in_needed', `Sign-in needed for ${server}: open MCP Tray and click Connect.`, {
    hint: `Or run \`mcp-tray login ${server}\`.`,
    ...(cause === undefined ? {} : { cause }),
  })
}

/** The engine says sign-in is needed: the status shows it, and the proxy's client reads the same words everywhere. */
async function watchSignIn<T>(signIn: SignInObserver, server: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    if (!(error instanceof TrayError) || error.code !== 'sign_in_needed') throw error
    signIn.signInNeeded(server, error.message)
    throw signInNeeded(server, error)
  }
}

/** The `{ server }` every token and sign-in request carries. */
export function serverParams(params: unknown): TokenParams {
  const server = (params as Partial<TokenParams> | undefined)?.server
  if (typeof server !== 'string' || server === '') throw new TrayError('hub_bad_request', 'A request to the hub must name a server.')
  return { server }
}

function refreshParams(params: unknown): RefreshParams {
  const { server } = serverParams(params)
  const { stale, scope, resourceMetadata } = params as Partial<RefreshParams>
  return {
    server,
    stale: typeof stale === 'string' ? stale : '',
    ...(typeof scope === 'string' ? { scope } : {}),
    ...(typeof resourceMetadata === 'string' ? { resourceMetadata } : {}),
  }
}

function stepUpParams(params: unknown): StepUpParams {
  const { server, stale } = refreshParams(params)
  const { scope, resourceMetadata } = params as Partial<StepUpParams>
  return { server, stale, scope: typeof scope === 'string' ? scope : '', ...(typeof resourceMetadata === 'string' ? { resourceMetadata } : {}) }
}
