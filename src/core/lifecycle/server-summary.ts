import type { ServerOptions, ServerView, SignInSummary } from '../../shared/server-view'
import type { ClientConfigs } from '../clients/client-configs'
import type { AuthStatus } from '../oauth/server-auth-record'
import type { ServerEntry } from '../registry/server-entry'
import { installsOf } from './client-installs'
import type { LifecycleDeps } from './lifecycle-deps'

/** What a surface may know of a sign-in (STYLE 7): never a token. */
export function summaryOf(auth: AuthStatus): SignInSummary {
  return {
    state: auth.state,
    ...(auth.issuer === undefined ? {} : { issuer: auth.issuer }),
    ...(auth.expiresAt === undefined ? {} : { expiresAt: auth.expiresAt }),
    ...(auth.scopes === undefined ? {} : { scopes: auth.scopes }),
    ...(auth.problem === undefined ? {} : { problem: auth.problem }),
  }
}

/** A server's options as a person set them; header values and secrets stay in the vault. */
export function optionsOf(entry: ServerEntry): ServerOptions {
  const { timeoutMs, scope, headerNames, clientId } = entry
  const extra = entry as ServerEntry & Pick<ServerOptions, 'redirect' | 'audience'>
  return {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(scope === undefined ? {} : { scope }),
    ...(headerNames === undefined ? {} : { headerNames }),
    ...(clientId === undefined ? {} : { clientId }),
    ...(extra.redirect === undefined ? {} : { redirect: extra.redirect }),
    ...(extra.audience === undefined ? {} : { audience: extra.audience }),
  }
}

/** The server as the views show it: the hub's own view when it has one, else a plain one. */
export async function viewOf(deps: LifecycleDeps, configs: () => ClientConfigs, name: string): Promise<ServerView> {
  const fromViews = await deps.view?.(name)
  if (fromViews) return fromViews
  const entry = deps.registry.require(name)
  const installed = await installsOf(configs(), name).catch(() => ({ installs: [] }))
  return {
    ...deps.status.get(name),
    url: entry.url,
    options: optionsOf(entry),
    signIn: summaryOf(await deps.engine.tokens.status(name)),
    clients: installed.installs.map((install) => install.client),
    recentLatencyMs: [],
  }
}
