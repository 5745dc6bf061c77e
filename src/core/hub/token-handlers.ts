import { TrayError } from '../../shared/tray-error'
import type { OAuthEngine } from '../oauth/oauth-engine'
import type { ServerRegistry } from '../registry/server-registry'
import type { HubHandler } from './hub-server'

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
export function tokenHandlers(engine: OAuthEngine, registry: ServerRegistry): Map<string, HubHandler> {
  return new Map<string, HubHandler>([
    [
      'token',
      async (params) => {
        const { server } = serverParams(params)
        const status = await engine.tokens.status(server)
        if (status.state !== 'signed-in') return { token: null } satisfies TokenReply
        return { token: await engine.tokens.getAccessToken(server) } satisfies TokenReply
      },
    ],
    [
      'refresh',
      async (params) => {
        const { server, stale } = refreshParams(params)
        if (stale !== '') return { token: await engine.tokens.refresh(server, stale) } satisfies TokenReply
        const status = await engine.tokens.status(server)
        if (status.state === 'sign-in-needed') throw signInNeeded(server)
        // Never signed in: this is the first use, so sign in now (one flow however many proxies ask).
        if (status.state !== 'signed-in') await engine.signIn.run(registry.require(server))
        return { token: await engine.tokens.getAccessToken(server) } satisfies TokenReply
      },
    ],
  ])
}

function signInNeeded(server: string): TrayError {
  return new TrayError('sign_in_needed', `Sign-in needed for ${server}.`, {
    hint: `Open MCP Tray and click Connect (or run \`mcp-tray login ${server}\`).`,
  })
}

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
