import type { AppInfo } from '../../shared/dashboard-api'
import type { NotificationAction } from '../../shared/dashboard-events'
import type { ServerView } from '../../shared/server-view'

/** A view of the dashboard the tray can open (the renderer's `#/<name>?server=…` routes). */
export interface DashboardView {
  readonly name: 'servers' | 'add' | 'log' | 'diagnostics' | 'doctor' | 'settings'
  readonly server?: string
}

/** What a menu item (or a notification) does when clicked; the shell performs it (see `performTrayAction`). */
export type TrayAction =
  | NotificationAction
  | { readonly kind: 'connect'; readonly server: string }
  | { readonly kind: 'sign-out'; readonly server: string }
  | { readonly kind: 'open-view'; readonly view: DashboardView }
  | { readonly kind: 'set-start-at-login'; readonly enabled: boolean }
  | { readonly kind: 'quit' }

/** The tray menu as plain data: the shell turns it into its own menu type. */
export type TrayMenuItem =
  | { readonly type: 'separator' }
  | { readonly type: 'normal'; readonly label: string; readonly enabled: boolean; readonly action?: TrayAction }
  | { readonly type: 'checkbox'; readonly label: string; readonly enabled: boolean; readonly checked: boolean; readonly action: TrayAction }
  | { readonly type: 'submenu'; readonly label: string; readonly enabled: boolean; readonly submenu: readonly TrayMenuItem[] }

/** Everything the menu shows: the hub's servers and a few facts about the app. */
export interface TrayFacts {
  /** Every server as the dashboard sees it; undefined while not read yet. */
  readonly servers: readonly ServerView[] | undefined
  /** Whether the app starts at login; undefined where the app cannot set it (the item is left out). */
  readonly startAtLogin: boolean | undefined
  readonly secretStorage?: AppInfo['secretStorage']
  /** Claude Desktop must be restarted to load a change MCP Tray made to its config. */
  readonly restartClientNeeded?: boolean
}

const maxDetailChars = 72
const separator: TrayMenuItem = { type: 'separator' }

/**
 * The tray menu, from the hub's status alone: a warning when tokens are not protected by a
 * keyring, a pending restart of Claude Desktop, each server with its state in words and what can
 * be done about it, then Add server…, Open dashboard, Start at login and Quit.
 */
export function trayMenu(facts: TrayFacts): TrayMenuItem[] {
  const notices: TrayMenuItem[] = []
  if (facts.secretStorage?.weak) notices.push(info('⚠ Sign-in tokens are not protected by a keyring'))
  if (facts.restartClientNeeded) notices.push(item('Restart Claude Desktop to load changes', { kind: 'restart-client' }))

  const servers = facts.servers === undefined ? [info('Reading servers…')] : facts.servers.length === 0 ? [info('No servers yet')] : facts.servers.map(serverItem)
  const app: TrayMenuItem[] = [item('Add server…', { kind: 'open-view', view: { name: 'add' } }), item('Open dashboard', { kind: 'open-view', view: { name: 'servers' } })]
  const login: TrayMenuItem[] =
    facts.startAtLogin === undefined
      ? []
      : [{ type: 'checkbox', label: 'Start at login', enabled: true, checked: facts.startAtLogin, action: { kind: 'set-start-at-login', enabled: !facts.startAtLogin } }, separator]

  return [...notices, ...(notices.length > 0 ? [separator] : []), ...servers, separator, ...app, separator, ...login, item('Quit MCP Tray', { kind: 'quit' })]
}

/** A server's state in words, as its menu item shows it: "Connected (2 proxies)", "Sign-in needed". */
export function serverStateWords(view: ServerView): string {
  switch (view.state) {
    case 'connected':
      return `Connected (${view.proxies} ${view.proxies === 1 ? 'proxy' : 'proxies'})`
    case 'signing-in':
      return view.pendingSignIn ? 'Waiting for sign-in in the browser' : 'Signing in…'
    case 'sign-in-needed':
      return 'Sign-in needed'
    case 'error':
      return 'Failing'
    case 'idle':
      return view.clients.length === 0 ? 'Not in any client yet' : 'Idle'
  }
}

function serverItem(view: ServerView): TrayMenuItem {
  const server = view.server
  const details: TrayMenuItem[] = []
  if ((view.state === 'error' || view.state === 'sign-in-needed') && view.lastError) details.push(info(clip(view.lastError)))
  if (view.signIn.state === 'signed-in' && view.signIn.subject) details.push(info(clip(`Signed in as ${view.signIn.subject}`)))

  const actions: TrayMenuItem[] = []
  // Connect adds it to Claude Desktop (and the enabled clients), signing in on the way when needed.
  if (view.clients.length === 0) actions.push(item('Connect', { kind: 'connect', server }))
  if (view.state === 'signing-in') {
    actions.push(
      view.pendingSignIn?.url ? item('Open the sign-in page', { kind: 'open-url', url: view.pendingSignIn.url }) : info('Signing in…'),
    )
  } else if (view.signIn.state === 'signed-in' && view.state !== 'sign-in-needed') {
    actions.push(item('Sign out', { kind: 'sign-out', server }))
  } else if (view.clients.length > 0 || view.state === 'sign-in-needed') {
    actions.push(item('Sign in…', { kind: 'sign-in', server }))
  }
  actions.push(item('Open log', { kind: 'open-log', server }), item('Doctor', { kind: 'open-view', view: { name: 'doctor', server } }))

  return {
    type: 'submenu',
    label: `${server} — ${serverStateWords(view)}`,
    enabled: true,
    submenu: [...details, ...(details.length > 0 ? [separator] : []), ...actions],
  }
}

function item(label: string, action: TrayAction): TrayMenuItem {
  return { type: 'normal', label, enabled: true, action }
}

function info(label: string): TrayMenuItem {
  return { type: 'normal', label, enabled: false }
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > maxDetailChars ? `${line.slice(0, maxDetailChars - 1)}…` : line
}
