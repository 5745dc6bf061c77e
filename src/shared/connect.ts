import type { ClientId } from './client-ids'
import type { AddServerRequest, InstallOutcome, SignInSummary } from './server-view'

/**
 * The one-step connect (add → sign in when needed → install into clients → restart hint), as
 * the tray, the dashboard and `mcp-tray connect` ask for it. `url` for a new server, or `name`
 * for one already added.
 */
export interface ConnectRequest extends Partial<AddServerRequest> {
  /** Clients to install into; default: Claude Desktop plus the clients enabled in the settings. */
  readonly clients?: readonly ClientId[]
  /** Restart Claude Desktop after the change, where the platform allows. */
  readonly restartClient?: boolean
  /** Chosen by the caller so that it can tell its progress events from others'. */
  readonly runId?: string
}

export type ConnectStep = 'add' | 'sign-in' | 'install' | 'restart'

export interface ConnectProgress {
  readonly runId: string
  readonly server?: string
  readonly step: ConnectStep
  readonly state: 'running' | 'done' | 'skipped' | 'failed'
  /** What happens or happened, in words; for a failure, why and what to do. */
  readonly message: string
  /** While the sign-in waits in the browser: the address to open if none opened. */
  readonly signInUrl?: string
}

export interface ConnectResult {
  readonly server: string
  readonly created: boolean
  readonly signIn: SignInSummary
  readonly installed: readonly InstallOutcome[]
  /** Clients that must be restarted to load the change (and were not). */
  readonly restartNeeded: readonly ClientId[]
  readonly restarted: readonly ClientId[]
}
