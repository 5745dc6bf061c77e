import type { ClientId } from '../../shared/client-ids'
import type { DashboardApi } from '../../shared/dashboard-api'
import { describeError } from '../../shared/tray-error'
import type { DashboardView, TrayAction } from './tray-menu'

/** What the shell lends the tray's actions: the dashboard API and its own few powers. */
export interface TrayActionTargets {
  readonly api: Pick<DashboardApi, 'connect' | 'signIn' | 'signOut'>
  /** Shows the dashboard window at a view. */
  openView(view: DashboardView): void
  /** Opens an http(s) address in the default browser. */
  openExternal(url: string): Promise<void>
  /** Quits Claude Desktop and starts it again where the platform allows; says how it went. */
  restartClient(): Promise<{ readonly message: string }>
  setStartAtLogin(enabled: boolean): void | Promise<void>
  quit(): void
  /** A change left `client` to be restarted before it starts `server` through MCP Tray. */
  restartNeeded(server: string, client: ClientId): void
  /** Tells the person how an action went when they would not see it otherwise (a notification). */
  tell(title: string, message: string): void
}

/**
 * Performs a tray menu item's or a notification's action. Use cases run in the hub (connect,
 * sign in, sign out); the shell only opens windows and addresses. A failure is told, never thrown:
 * a click has no one to catch it.
 */
export async function performTrayAction(action: TrayAction, targets: TrayActionTargets): Promise<void> {
  try {
    switch (action.kind) {
      case 'connect': {
        const result = await targets.api.connect({ name: action.server })
        for (const client of result.restartNeeded) targets.restartNeeded(result.server, client)
        return
      }
      case 'sign-in':
        await targets.api.signIn(action.server)
        return
      case 'sign-out': {
        const outcome = await targets.api.signOut(action.server)
        if (outcome.problem) targets.tell(`Signed out of ${action.server}`, outcome.problem)
        return
      }
      case 'open-log':
        return targets.openView({ name: 'log', server: action.server })
      case 'open-view':
        return targets.openView(action.view)
      case 'open-url':
        if (!isWebAddress(action.url)) return targets.tell('Not opened', 'MCP Tray opens only http and https addresses.')
        return await targets.openExternal(action.url)
      case 'restart-client':
        targets.tell('Claude Desktop', (await targets.restartClient()).message)
        return
      case 'set-start-at-login':
        return await targets.setStartAtLogin(action.enabled)
      case 'quit':
        return targets.quit()
    }
  } catch (error) {
    targets.tell(failureTitle(action), describeError(error))
  }
}

/** Whether `url` is an http(s) address: the only kind MCP Tray hands to the browser. */
export function isWebAddress(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

function failureTitle(action: TrayAction): string {
  switch (action.kind) {
    case 'connect':
      return `Could not connect ${action.server}`
    case 'sign-in':
      return `Could not sign in to ${action.server}`
    case 'sign-out':
      return `Could not sign out of ${action.server}`
    case 'restart-client':
      return 'Could not restart Claude Desktop'
    case 'set-start-at-login':
      return action.enabled ? 'Could not start MCP Tray at login' : 'Could not stop starting MCP Tray at login'
    default:
      return 'MCP Tray could not do that'
  }
}
