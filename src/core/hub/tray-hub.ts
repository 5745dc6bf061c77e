import { appVersion } from '../../shared/app-version'
import type { AppInfo, DashboardApi } from '../../shared/dashboard-api'
import { DashboardEventBus } from '../dashboard/dashboard-event-bus'
import { startDashboardHttpServer, type DashboardHttpServer } from '../dashboard/dashboard-http-server'
import { createDashboardService } from '../dashboard/dashboard-service'
import { hubDoctor } from '../dashboard/doctor-source'
import { PendingSignIns } from '../dashboard/pending-sign-ins'
import { ServerViews } from '../dashboard/server-views'
import { feedDiagnostics } from '../diagnostics/diagnostics-recorder'
import { hubDiagnostics } from '../diagnostics/hub-diagnostics'
import type { ProxyLaunch } from '../clients/entry-builder'
import { appSettingsStore, type ShellSettings } from '../lifecycle/app-settings'
import { hubClientConfigs } from '../lifecycle/hub-client-configs'
import { createServerLifecycle, type ServerLifecycle } from '../lifecycle/server-lifecycle'
import type { OAuthEngine } from '../oauth/oauth-engine'
import type { ServerRegistry } from '../registry/server-registry'
import { dashboardTokenPath } from '../dashboard/dashboard-token'
import { headerHandlers } from './header-handlers'
import { readOrCreateHubSecret } from './hub-secret'
import { signInProgressEvent, type SignInProgress } from './hub-protocol'
import type { HubHandler } from './hub-server'
import { startHub, type RunningHub } from './hub-runtime'
import { HubSignIns } from './hub-sign-ins'
import { busyWhile, watchIdle, type IdleStopReason } from './idle-stop'
import { ConnectRuns, hubControlHandlers, lifecycleHandlers, type HubControl } from './lifecycle-handlers'
import { ServerStatusBoard } from './server-status'
import { signInHandlers } from './sign-in-handlers'
import { tokenHandlers } from './token-handlers'
import { HubNotifications } from '../tray/hub-notifications'

export interface TrayHubOptions {
  readonly dataDir: string
  readonly shell: AppInfo['shell']
  readonly registry: ServerRegistry
  readonly engine: OAuthEngine
  /** The built dashboard to serve over loopback HTTP (headless); none in the app, which has its window. */
  readonly rendererDir?: string | undefined
  readonly dashboardPort?: number
  /**
   * When given, the hub steps aside on request: a headless hub (which a proxy may have started)
   * gives way to the app, so that the app can run the one hub of this user.
   */
  readonly onYield?: () => void
  /** Whom it steps aside for (default anyone), and whether `mcp-tray stop` may end it. */
  readonly yieldsTo?: HubControl['yieldsTo']
  readonly onStop?: () => void
  /**
   * A hub a proxy started: it stops by itself once nothing has needed it for `idleStopMinutes`, or
   * when its data folder is deleted. `dashboardClients` says how many dashboards are connected.
   */
  readonly idleStop?: { readonly onStop: (reason: IdleStopReason) => void; readonly dashboardClients?: () => number }
  /** How client apps start this hub's proxy, for the entries it writes into their config files. */
  readonly proxyLaunch?: ProxyLaunch
  /** Settings only the shell keeps (start at login). */
  readonly shellSettings?: ShellSettings
}

/** What the hub answers `dashboardUrl` with: the address that carries the access token, or null without a dashboard. */
export interface DashboardUrlReply {
  readonly url: string | null
}

/** The whole hub as a shell holds it: the core, and the dashboard contract with its pushed events. */
export interface TrayHub extends RunningHub {
  /** The dashboard contract as this hub answers it, for the shell's bridge (IPC in the app). */
  readonly api: DashboardApi
  /** What the hub pushes to every open dashboard (IPC in the app, the event stream headless). */
  readonly events: DashboardEventBus
  /** The dashboard over loopback HTTP, when asked for (headless). */
  readonly dashboard: DashboardHttpServer | undefined
  readonly lifecycle: ServerLifecycle
  /** What needs the person, told once: the app shows it, dashboards get it as events, `serve` prints it. */
  readonly notifications: HubNotifications
}

/**
 * The whole hub, composed the same way in the app and in `mcp-tray serve`: the registry and the
 * OAuth engine behind the token, sign-in and header handlers, a status model that hears of
 * sign-ins, and the dashboard service over all of it.
 */
export async function startTrayHub(options: TrayHubOptions): Promise<TrayHub> {
  const { registry, engine, onYield } = options
  const status = new ServerStatusBoard({ knownServers: () => registry.list().map((s) => s.name), secrets: engine.vault.secrets })
  // Proxies' sign-ins (first use, step-up) and a person's (`mcp-tray login`) share one flow per server.
  const signIns = new HubSignIns(engine.signIn)
  const lifecycle = createServerLifecycle({
    registry,
    engine,
    signIns,
    status,
    configs: () => hubClientConfigs(options.dataDir, options.proxyLaunch),
    view: (name) => views.get(name),
    changed: () => views.changed(),
  })
  const settings = appSettingsStore(registry, options.shellSettings)
  const connectRuns = new ConnectRuns()
  const handlers = new Map<string, HubHandler>([
    ...tokenHandlers(engine, registry, status, signIns),
    ...signInHandlers(engine, registry, status, signIns),
    ...headerHandlers(engine.vault),
    ...lifecycleHandlers(lifecycle, settings, connectRuns),
    ...hubControlHandlers({ ...(onYield ? { onYield } : {}), ...(options.yieldsTo ? { yieldsTo: options.yieldsTo } : {}), ...(options.onStop ? { onStop: options.onStop } : {}) }),
  ])
  // Where the dashboard is, for `mcp-tray dashboard`: set once it listens (headless only).
  let dashboard: DashboardHttpServer | undefined
  handlers.set('dashboardUrl', async () => ({ url: dashboard?.url ?? null }) satisfies DashboardUrlReply)
  const running = await startHub({ dataDir: options.dataDir, shell: options.shell, status, handlers, secrets: engine.vault.secrets }).catch((error: unknown) => {
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

  const events = new DashboardEventBus()
  const pendingSignIns = new PendingSignIns()
  // Also puts back the entries Claude Desktop strips from its config file, and says so.
  const notifications = new HubNotifications({
    status,
    signIns: pendingSignIns,
    events,
    configs: () => hubClientConfigs(options.dataDir, options.proxyLaunch),
    intervalMs: () => registry.settings().notificationMinutes * 60_000,
  })
  const stops = [
    // A headless hub has nowhere to show where to sign in when no browser opens: the terminal of a
    // waiting `mcp-tray login` shows it, and so do the dashboards.
    engine.signIn.onProgress((message, server, detail) => {
      pendingSignIns.progress(server, message, detail.url)
      // Proxies too: each writes the address on its stderr, which lands in the client's log.
      const data = { server, message, ...(detail.url === undefined ? {} : { url: detail.url }) } satisfies SignInProgress
      for (const peer of running.hub.peers()) if (peer.role === 'cli' || peer.role === 'proxy') peer.send({ event: signInProgressEvent, data })
    }),
    status.onChange((statuses) => {
      for (const { server, state } of statuses) {
        if (state !== 'signing-in' && pendingSignIns.has(server)) {
          pendingSignIns.finished(server, state === 'sign-in-needed' || state === 'error' ? 'failed' : 'signed-in', state === 'sign-in-needed' ? 'The sign-in did not finish.' : 'Signed in.')
        }
      }
    }),
    pendingSignIns.onChange((signIn) => events.publish({ type: 'sign-in', signIn })),
    running.logs.onAppend((appended, json) => events.publish({ type: 'logs', events: appended }, `{"type":"logs","events":${json()}}`)),
    feedDiagnostics(running.diagnostics, { tokens: engine.tokens, signIn: engine.signIn }),
  ]

  running.hub.onPeerClosed((peer) => connectRuns.peerClosed(peer))
  const views = new ServerViews({
    registry,
    status,
    signInStatus: (server) => engine.tokens.status(server),
    clients: () => lifecycle.listClients(),
    recentLatencies: (server) => running.diagnostics.recentLatencies(server),
    pendingSignIns,
    logs: running.logs,
    events,
  })
  const diagnostics = hubDiagnostics({
    recorder: running.diagnostics,
    logs: running.logs,
    server: (name) => views.get(name),
    app: { name: 'MCP Tray', version: appVersion, shell: options.shell },
  })
  const api = createDashboardService({
    shell: options.shell,
    secretStorage: { label: engine.vault.cipher.label, weak: engine.vault.cipher.weak },
    registry,
    views,
    logs: running.logs,
    lifecycle,
    diagnostics,
    doctor: hubDoctor(registry, engine),
    settings,
    events,
    // The preview reaches servers the way sign-in does: through the proxy and trusted authorities.
    fetch: engine.fetch,
  })

  const idle =
    options.idleStop &&
    watchIdle({
      busy: busyWhile({
        peers: () => running.hub.peers().length,
        working: () => connectRuns.running() > 0 || registry.list().some((server) => engine.signIn.isRunning(server.name)),
        dashboardClients: options.idleStop.dashboardClients ?? (() => dashboard?.streams() ?? 0),
      }),
      idleMinutes: () => registry.settings().idleStopMinutes,
      mustExist: [options.dataDir, ...(process.platform === 'win32' ? [] : [running.hub.address.socketPath])],
      onStop: options.idleStop.onStop,
    })
  const closeParts = async (): Promise<void> => {
    idle?.stop()
    for (const stop of stops) stop()
    await notifications.close()
    views.close()
    events.close()
    signIns.close()
    await running.close()
  }
  try {
    dashboard =
      options.rendererDir === undefined
        ? undefined
        : await startDashboardHttpServer({
            api,
            events,
            rendererDir: options.rendererDir,
            token: await readOrCreateHubSecret(dashboardTokenPath(options.dataDir)),
            ...(options.dashboardPort === undefined ? {} : { port: options.dashboardPort }),
          })
  } catch (error) {
    await closeParts()
    throw error
  }
  return {
    ...running,
    api,
    events,
    dashboard,
    lifecycle,
    notifications,
    async close() {
      await dashboard?.close()
      await closeParts()
    },
  }
}

