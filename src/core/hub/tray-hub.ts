import type { AppInfo } from '../../shared/dashboard-api'
import type { OAuthEngine } from '../oauth/oauth-engine'
import type { ServerRegistry } from '../registry/server-registry'
import { headerHandlers } from './header-handlers'
import { signInProgressEvent, type SignInProgress } from './hub-protocol'
import type { HubHandler } from './hub-server'
import { startHub, type RunningHub } from './hub-runtime'
import { HubSignIns } from './hub-sign-ins'
import { ServerStatusBoard } from './server-status'
import { signInHandlers } from './sign-in-handlers'
import { tokenHandlers } from './token-handlers'

export interface TrayHubOptions {
  readonly dataDir: string
  readonly shell: AppInfo['shell']
  readonly registry: ServerRegistry
  readonly engine: OAuthEngine
  readonly rendererDir?: string | undefined
  readonly dashboardPort?: number
  /**
   * When given, the hub steps aside on request: a headless hub (which a proxy may have started)
   * gives way to the app, so that the app can run the one hub of this user.
   */
  readonly onYield?: () => void
}

/**
 * The whole hub, composed the same way in the app and in `mcp-tray serve`: the registry and the
 * OAuth engine behind the token, sign-in and header handlers, and a status model that hears of sign-ins.
 */
export async function startTrayHub(options: TrayHubOptions): Promise<RunningHub> {
  const { registry, engine, onYield } = options
  const status = new ServerStatusBoard({ knownServers: () => registry.list().map((s) => s.name) })
  // Proxies' sign-ins (first use, step-up) and a person's (`mcp-tray login`) share one flow per server.
  const signIns = new HubSignIns(engine.signIn)
  const handlers = new Map<string, HubHandler>([
    ...tokenHandlers(engine, registry, status, signIns),
    ...signInHandlers(engine, registry, status, signIns),
    ...headerHandlers(engine.vault),
  ])
  if (onYield) {
    handlers.set('yield', async () => {
      setImmediate(onYield)
      return {}
    })
  }
  const running = await startHub({
    dataDir: options.dataDir,
    shell: options.shell,
    status,
    handlers,
    rendererDir: options.rendererDir,
    ...(options.dashboardPort === undefined ? {} : { dashboardPort: options.dashboardPort }),
  }).catch((error: unknown) => {
    // The app asks again after a headless hub yields, with the same engine: leave it as it was.
    signIns.close()
    throw error
  })
  // Sign-ins already lost before this hub started show as such from the start.
  for (const { name } of registry.list()) {
    engine.tokens.status(name).then(
      (auth) => auth.state === 'sign-in-needed' && status.signInNeeded(name, auth.problem ?? `Sign-in needed for ${name}.`),
      () => undefined,
    )
  }
  // A headless hub has nowhere to show where to sign in when no browser opens: the terminal of a
  // waiting `mcp-tray login` shows it.
  const stopProgress = engine.signIn.onProgress((message, server) => {
    for (const peer of running.hub.peers()) if (peer.role === 'cli') peer.send({ event: signInProgressEvent, data: { server, message } satisfies SignInProgress })
  })
  return {
    ...running,
    async close() {
      stopProgress()
      signIns.close()
      await running.close()
    },
  }
}
