import { describeError, TrayError } from '../../shared/tray-error'
import type { OAuthEngine } from '../oauth/oauth-engine'
import type { ServerRegistry } from '../registry/server-registry'
import type { HubHandler } from './hub-server'
import type { SignInObserver } from './server-status'

export interface TokenParams {
  readonly server: string
}

export interface RefreshParams {
  readonly server: string
  /** The token the server just refused with 401; empty when the proxy had none to send. */
  readonly stale: string
}

export interface TokenReply {
  readonly token: string | null
}

/**
 * How the hub hands tokens to proxies. Only the hub reads the vault; a proxy holds a token in
 * memory only. The engine keeps one sign-in and one refresh per server in flight, however many
 * proxies ask at once.
 */
export function tokenHandlers(engine: OAuthEngine, registry: ServerRegistry, signIn: SignInObserver = unobserved): Map<string, HubHandler> {
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
        const { server, stale } = refreshParams(params)
        if (stale !== '') {
          const token = await watchSignIn(signIn, server, () => engine.tokens.refresh(server, stale))
          signIn.signedIn(server)
          return { token } satisfies TokenReply
        }
        const status = await engine.tokens.status(server)
        if (status.state === 'sign-in-needed') {
          signIn.signInNeeded(server, status.problem ?? `Sign-in needed for ${server}.`)
          throw signInNeeded(server)
        }
        // Never signed in: this is the first use, so sign in now (one flow however many proxies ask).
        if (status.state !== 'signed-in') {
          signIn.signingIn(server)
          try {
            await engine.signIn.run(registry.require(server))
          } catch (error) {
            signIn.signInNeeded(server, describeError(error))
            throw error
          }
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

const unobserved: SignInObserver = { signingIn() {}, signedIn() {}, signInNeeded() {} }

function serverParams(params: unknown): TokenParams {
  const server = (params as Partial<TokenParams> | undefined)?.server
  if (typeof server !== 'string' || server === '') throw new TrayError('hub_bad_request', 'A token request must name a server.')
  return { server }
}

function refreshParams(params: unknown): RefreshParams {
  const { server } = serverParams(params)
  const stale = (params as Partial<RefreshParams>).stale
  return { server, stale: typeof stale === 'string' ? stale : '' }
}
