import type { ConnectProgress } from './connect'
import type { DoctorStep } from './doctor-report'
import type { LogEvent } from './log-model'
import type { ServerView } from './server-view'

/** Why a notification was raised: at most one per server per cause every few minutes. */
export type NotificationCause = 'sign-in-needed' | 'sign-in-waiting' | 'repeated-failures' | 'restart-client' | 'config-restored'

/** What clicking a notification does. */
export type NotificationAction =
  | { readonly kind: 'sign-in'; readonly server: string }
  | { readonly kind: 'open-url'; readonly url: string }
  | { readonly kind: 'open-log'; readonly server: string }
  | { readonly kind: 'restart-client' }

export interface AppNotification {
  readonly id: string
  readonly cause: NotificationCause
  readonly server?: string
  readonly title: string
  readonly body: string
  readonly action?: NotificationAction
  /** ISO 8601. */
  readonly time: string
}

/** A sign-in's progress, with the address to open when no browser opened by itself. Never a token. */
export interface SignInEvent {
  readonly server: string
  readonly state: 'waiting' | 'signed-in' | 'failed'
  readonly message: string
  readonly url?: string
}

/** What the hub pushes to every open dashboard. */
export type DashboardEvent =
  /** Every server, whenever any of them changed (status, sign-in, options, installs). */
  | { readonly type: 'servers'; readonly servers: readonly ServerView[] }
  /** Log events as the hub stores them (each with its `seq`). */
  | { readonly type: 'logs'; readonly events: readonly LogEvent[] }
  | { readonly type: 'sign-in'; readonly signIn: SignInEvent }
  | { readonly type: 'connect-progress'; readonly progress: ConnectProgress }
  | { readonly type: 'doctor-step'; readonly runId: string; readonly step: DoctorStep }
  | { readonly type: 'notification'; readonly notification: AppNotification }
  /** The stream could not resume where it left off (the hub restarted, or the gap was too long): load everything again. */
  | { readonly type: 'resync' }

export type DashboardEventType = DashboardEvent['type']

/** The state of the page's link to the hub, for the "reconnecting…" banner. */
export type DashboardLinkState = 'connecting' | 'live' | 'reconnecting'

/** The pushed half of the contract, as the page subscribes to it. */
export interface DashboardEvents {
  /** Calls `listener` with every event from now on; returns how to stop. */
  subscribe(listener: (event: DashboardEvent) => void, onLinkState?: (state: DashboardLinkState) => void): () => void
}

/** The IPC channel on which the main process sends every `DashboardEvent` to the dashboard window. */
export const dashboardEventChannel = 'dashboard-event'
