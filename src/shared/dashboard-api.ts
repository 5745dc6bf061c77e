/**
 * The dashboard contract: every method the renderer may call and every event it may receive.
 * Electron's IPC handlers, the preload bridge and the headless HTTP bridge all implement this
 * one type, so the compiler keeps them in step. Tokens never cross it.
 */
import type { AppSettings, AppSettingsChange } from './app-settings'
import type { ClientId } from './client-ids'
import type { ConnectRequest, ConnectResult } from './connect'
import type { DashboardEvents } from './dashboard-events'
import type { DiagnosticsQuery, ServerDiagnostics } from './diagnostics'
import type { DoctorReport } from './doctor-report'
import type { LogEvent, LogPage, LogQuery } from './log-model'
import type {
  AddServerRequest,
  ClientInfo,
  InstallOutcome,
  RemoveOutcome,
  ServerOptionsChange,
  ServerPreview,
  ServerView,
  SignInSummary,
  SignOutOutcome,
} from './server-view'

export type { AppSettings, AppSettingsChange } from './app-settings'
export type { ClientId } from './client-ids'
export type { ConnectProgress, ConnectRequest, ConnectResult, ConnectStep } from './connect'
export type { AppNotification, DashboardEvent, DashboardEvents, DashboardLinkState, NotificationAction, NotificationCause, SignInEvent } from './dashboard-events'
export type { DiagnosticsBucket, DiagnosticsQuery, ServerDiagnostics } from './diagnostics'
export type { DoctorFix, DoctorFixAction, DoctorReport, DoctorStep, DoctorStepStatus } from './doctor-report'
export type { LogDirection, LogEvent, LogKind, LogOutcome, LogPage, LogQuery } from './log-model'
export type {
  AddServerRequest,
  ClientInfo,
  InstallOutcome,
  PendingSignIn,
  RedirectHost,
  RedirectSettings,
  RemoveOutcome,
  ServerOptions,
  ServerOptionsChange,
  ServerPreview,
  ServerState,
  ServerStatus,
  ServerView,
  SignInSummary,
  SignOutOutcome,
} from './server-view'

export interface AppInfo {
  readonly name: string
  readonly version: string
  /** Where the app runs: inside Electron, or as the headless hub serving a browser. */
  readonly shell: 'electron' | 'headless'
  /** How tokens are protected at rest; `weak` when it is not the OS keychain (say so in the UI). */
  readonly secretStorage?: { readonly label: string; readonly weak: boolean }
}

/** Most events one `recentLogs` call returns. */
export const maxRecentLogs = 1000

/** A doctor run for a server (by name) or any URL; its steps arrive as `doctor-step` events. */
export interface DoctorRequest {
  readonly target: string
  /** Chosen by the caller so that it can tell its steps from others'. */
  readonly runId?: string
  /** A read-only tool to call once signed in. */
  readonly callTool?: string
}

export interface DashboardApi {
  getAppInfo(): Promise<AppInfo>

  /** Every server the hub knows, with its live status, sign-in and installs. */
  listServers(): Promise<ServerView[]>
  /** What a URL is (reachable, MCP, sign-in, authorization server), without saving anything. */
  previewServer(url: string): Promise<ServerPreview>
  addServer(request: AddServerRequest): Promise<ServerView>
  /** Signs out, removes its entries from every client config, and forgets it. */
  removeServer(name: string): Promise<RemoveOutcome>
  /** Renames it; the client entries follow. */
  renameServer(name: string, newName: string): Promise<ServerView>
  updateServer(name: string, change: ServerOptionsChange): Promise<ServerView>
  /** Add → sign in when needed → install → restart hint; progress as `connect-progress` events. */
  connect(request: ConnectRequest): Promise<ConnectResult>
  /** Signs in (or joins the sign-in running for it); progress as `sign-in` events. */
  signIn(name: string): Promise<SignInSummary>
  signOut(name: string): Promise<SignOutOutcome>
  install(name: string, client: ClientId): Promise<InstallOutcome>
  uninstall(name: string, client: ClientId): Promise<InstallOutcome>
  listClients(): Promise<ClientInfo[]>

  /** The last `limit` events (default 200, at most `maxRecentLogs`) of one server or of all, oldest first. */
  recentLogs(server?: string, limit?: number): Promise<LogEvent[]>
  queryLogs(query: LogQuery): Promise<LogPage>
  /** The events the query matches as redacted JSONL, one event a line. */
  exportLogs(query: LogQuery): Promise<string>

  diagnostics(query: DiagnosticsQuery): Promise<ServerDiagnostics>
  /** A redacted Markdown bug report for a server: metadata, recent failures, timings, the doctor's last result. */
  bugReport(name: string): Promise<string>
  runDoctor(request: DoctorRequest): Promise<DoctorReport>
  /** The doctor's last report for a server since the hub started. */
  lastDoctorReport(name: string): Promise<DoctorReport | null>

  getSettings(): Promise<AppSettings>
  updateSettings(change: AppSettingsChange): Promise<AppSettings>
}

export type DashboardMethod = keyof DashboardApi

/** The names of the dashboard methods, as IPC channels and HTTP routes use them. */
export const dashboardMethods = [
  'getAppInfo',
  'listServers',
  'previewServer',
  'addServer',
  'removeServer',
  'renameServer',
  'updateServer',
  'connect',
  'signIn',
  'signOut',
  'install',
  'uninstall',
  'listClients',
  'recentLogs',
  'queryLogs',
  'exportLogs',
  'diagnostics',
  'bugReport',
  'runDoctor',
  'lastDoctorReport',
  'getSettings',
  'updateSettings',
] as const satisfies readonly DashboardMethod[]

/** What the page holds: the methods and the pushed events, from preload (IPC) or the HTTP bridge. */
export type DashboardClient = DashboardApi & DashboardEvents
