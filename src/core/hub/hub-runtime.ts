import { appVersion } from '../../shared/app-version'
import { ensureDataDir } from '../data/data-dir'
import { DiagnosticsRecorder, diagnosticsRetentionMs, feedDiagnostics } from '../diagnostics/diagnostics-recorder'
import { logsDir } from '../logs/log-files'
import { LogStore } from '../logs/log-store'
import type { SecretValues } from '../logs/secret-values'
import { hubAddressFor } from './hub-address'
import { startHubServer, type HubHandler, type HubServer } from './hub-server'
import { HubSubscriptions } from './hub-subscriptions'
import { logHandlers } from './log-handlers'
import { ServerStatusBoard } from './server-status'

export interface RunningHub {
  readonly hub: HubServer
  readonly logs: LogStore
  readonly status: ServerStatusBoard
  /** Counts per server and minute from the logs (and, wired by the caller, sign-ins and refreshes). */
  readonly diagnostics: DiagnosticsRecorder
  close(): Promise<void>
}

/**
 * The hub's core, in the app or headless (`mcp-tray serve`): the local socket proxies talk to, and
 * the log store and status model they feed. The dashboard is composed on top (tray-hub.ts).
 */
export async function startHub(options: {
  dataDir: string
  /** Which shell runs it (default headless), as the `appInfo` method tells. */
  shell?: 'electron' | 'headless'
  /** What the hub does besides describing itself and keeping logs: token and sign-in handlers, wired by the caller. */
  handlers?: ReadonlyMap<string, HubHandler>
  /** The status model, when the caller's handlers report to it too (sign-in). */
  status?: ServerStatusBoard
  /** Secret values the hub holds (the vault's), scrubbed from its answers and from the previews it keeps. */
  secrets?: SecretValues
}): Promise<RunningHub> {
  await ensureDataDir(options.dataDir)
  const logs = new LogStore({ dir: logsDir(options.dataDir) })
  const status = options.status ?? new ServerStatusBoard()
  const diagnostics = new DiagnosticsRecorder()
  feedDiagnostics(diagnostics, { logs })
  const subscriptions = new HubSubscriptions()
  const handlers = new Map<string, HubHandler>([
    ['appInfo', async () => ({ name: 'MCP Tray', version: appVersion, shell: options.shell ?? 'headless' })],
    ...logHandlers({ logs, status, subscriptions, ...(options.secrets ? { secrets: options.secrets } : {}) }),
    ...(options.handlers ?? []),
  ])
  const hub = await startHubServer(hubAddressFor(options.dataDir), handlers, options.secrets ? { secrets: options.secrets } : {})
  // The charts go on across a restart: what earlier runs logged in the last day counts too.
  const replay = new AbortController()
  const replayed = logs.replayEarlier((event) => diagnostics.recordEarlier([event]), { sinceMs: diagnosticsRetentionMs, signal: replay.signal }).catch(() => undefined)
  hub.onPeerClosed((peer) => {
    status.detach(peer)
    subscriptions.remove(peer)
  })
  logs.onAppend((events) => subscriptions.publish('logs', events))
  status.onChange((statuses) => subscriptions.publish('status', statuses))
  return {
    hub,
    logs,
    status,
    diagnostics,
    async close() {
      replay.abort()
      await Promise.all([hub.close(), replayed])
      status.close()
      await logs.close()
    },
  }
}
