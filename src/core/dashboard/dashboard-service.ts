import { randomUUID } from 'node:crypto'
import type { AppInfo, DashboardApi } from '../../shared/dashboard-api'
import { maxRecentLogs } from '../../shared/dashboard-api'
import type { AppSettings, AppSettingsChange } from '../../shared/app-settings'
import type { DiagnosticsQuery, ServerDiagnostics } from '../../shared/diagnostics'
import type { DoctorReport, DoctorStep } from '../../shared/doctor-report'
import { maxLogPage, type LogPage, type LogQuery } from '../../shared/log-model'
import { appVersion } from '../../shared/app-version'
import { TrayError } from '../../shared/tray-error'
import type { ServerLifecycle } from '../lifecycle/server-lifecycle'
import type { LogStore } from '../logs/log-store'
import type { ServerRegistry } from '../registry/server-registry'
import type { DashboardEventBus } from './dashboard-event-bus'
import {
  addServerArgument,
  checked,
  clientArgument,
  connectArgument,
  diagnosticsQueryArgument,
  doctorRequestArgument,
  logQueryArgument,
  serverName,
  serverOptionsChangeArgument,
  settingsChangeArgument,
  urlArgument,
} from './dashboard-arguments'
import { previewServer } from './server-preview'
import type { ServerViews } from './server-views'

/** Where the log view's pages and exports come from: the hub's log store. */
export type LogSearch = Pick<LogStore, 'recent'> & {
  query(query: LogQuery): LogPage | Promise<LogPage>
  exportJsonl(query: LogQuery): string | Promise<string>
}

export interface DiagnosticsSource {
  query(query: DiagnosticsQuery): ServerDiagnostics
  bugReport(server: string, lastDoctor: DoctorReport | undefined): Promise<string>
}

export type RunDoctor = (request: { target: string; callTool?: string }, onStep: (step: DoctorStep) => void) => Promise<DoctorReport>

export interface SettingsStore {
  get(): Promise<AppSettings>
  update(change: AppSettingsChange): Promise<AppSettings>
}

/** What the service reads and drives: the hub's parts, wired by the composition root. */
export interface DashboardSources {
  readonly shell: AppInfo['shell']
  readonly secretStorage?: AppInfo['secretStorage']
  readonly registry: Pick<ServerRegistry, 'findByUrl' | 'suggestName' | 'get' | 'settings'>
  readonly views: ServerViews
  readonly logs: LogSearch
  readonly lifecycle: ServerLifecycle
  readonly diagnostics: DiagnosticsSource
  readonly doctor: RunDoctor
  readonly settings: SettingsStore
  readonly events: DashboardEventBus
  readonly fetch?: typeof fetch
}

const defaultRecentLogs = 200
const defaultLogPage = 1000

/**
 * The dashboard API as the hub answers it, whichever shell (Electron or headless) carries it.
 * Arguments come from a page, so each is checked here, once for every bridge; the work is the use
 * cases' (lifecycle, doctor, logs, diagnostics); what changes is pushed to pages as events.
 */
export function createDashboardService(sources: DashboardSources): DashboardApi {
  // The lifecycle tells the server views of every change it makes, whichever surface asked.
  const { lifecycle, events, views } = sources
  const lastDoctor = new Map<string, DoctorReport>()

  return {
    getAppInfo: async () => ({
      name: 'MCP Tray',
      version: appVersion,
      shell: sources.shell,
      ...(sources.secretStorage ? { secretStorage: sources.secretStorage } : {}),
    }),
    listServers: () => views.list(),
    previewServer: async (url) =>
      previewServer(checked(urlArgument, url, 'server URL'), {
        registry: sources.registry,
        ...optional('clientMetadataUrl', sources.registry.settings().clientMetadataUrl),
        ...optional('fetch', sources.fetch),
      }),
    addServer: async (request) => {
      const added = await lifecycle.addServer(checked(addServerArgument, request, 'server'))
      return (await views.get(added.server)) ?? added
    },
    removeServer: (name) => lifecycle.removeServer(checked(serverName, name, 'server name')),
    renameServer: (name, newName) => lifecycle.renameServer(checked(serverName, name, 'server name'), checked(serverName, newName, 'new name')),
    updateServer: (name, change) => lifecycle.updateServer(checked(serverName, name, 'server name'), checked(serverOptionsChangeArgument, change, 'server options')),
    connect: (request) => {
      const checkedRequest = checked(connectArgument, request, 'connect request')
      const runId = checkedRequest.runId ?? randomUUID()
      return lifecycle.connect({ ...checkedRequest, runId }, (progress) => events.publish({ type: 'connect-progress', progress }))
    },
    signIn: (name) => lifecycle.signIn(checked(serverName, name, 'server name')),
    signOut: (name) => lifecycle.signOut(checked(serverName, name, 'server name')),
    install: (name, client) => lifecycle.install(checked(serverName, name, 'server name'), checked(clientArgument, client, 'client')),
    uninstall: (name, client) => lifecycle.uninstall(checked(serverName, name, 'server name'), checked(clientArgument, client, 'client')),
    listClients: () => lifecycle.listClients(),

    recentLogs: async (server?: unknown, limit?: unknown) => {
      const name = server === undefined || server === null ? undefined : checked(serverName, server, 'server name')
      if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= maxRecentLogs)) {
        throw new TrayError('dashboard_bad_request', `recentLogs takes a limit between 1 and ${maxRecentLogs}.`, {
          hint: 'Reload the dashboard; if it persists, it does not match this MCP Tray.',
        })
      }
      return sources.logs.recent(name, (limit as number | null | undefined) ?? defaultRecentLogs)
    },
    queryLogs: async (query) => sources.logs.query(logQuery(query)),
    exportLogs: async (query) => sources.logs.exportJsonl(logQuery(query)),

    diagnostics: async (query) => sources.diagnostics.query(checked(diagnosticsQueryArgument, query, 'diagnostics query')),
    bugReport: async (name) => {
      const server = checked(serverName, name, 'server name')
      return sources.diagnostics.bugReport(server, lastDoctor.get(server))
    },
    runDoctor: async (request) => {
      const { target, runId = randomUUID(), callTool } = checked(doctorRequestArgument, request, 'doctor request')
      const report = await sources.doctor({ target, ...optional('callTool', callTool) }, (step) => events.publish({ type: 'doctor-step', runId, step }))
      if (report.server !== undefined) lastDoctor.set(report.server, report)
      return report
    },
    lastDoctorReport: async (name) => lastDoctor.get(checked(serverName, name, 'server name')) ?? null,

    getSettings: () => sources.settings.get(),
    updateSettings: async (change) => sources.settings.update(checked(settingsChangeArgument, change, 'settings') as AppSettingsChange),
  }
}

function logQuery(query: unknown): LogQuery {
  const checkedQuery = checked(logQueryArgument, query ?? {}, 'log query') as LogQuery
  return { ...checkedQuery, limit: Math.min(checkedQuery.limit ?? defaultLogPage, maxLogPage) }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}
