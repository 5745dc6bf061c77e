import { Menu, Tray, type MenuItemConstructorOptions } from 'electron'
import { overallState, type OverallState } from '../core/hub/overall-state'
import { trayMenu, type TrayAction, type TrayFacts, type TrayMenuItem } from '../core/tray/tray-menu'
import { trayTooltip } from '../core/tray/tray-tooltip'
import type { AppInfo } from '../shared/dashboard-api'
import type { AppNotification } from '../shared/dashboard-events'
import type { ServerView } from '../shared/server-view'
import type { LoginItem } from './login-item'

/** Where the tray reads what it shows. */
export interface AppTraySources {
  /** Every server now, and every server again whenever any of them changed (the hub's `servers` events). */
  readonly servers: {
    list(): Promise<readonly ServerView[]>
    onChange(listener: (servers: readonly ServerView[]) => void): () => void
  }
  /** Undefined where the app cannot start at login (the menu then has no such item). */
  readonly loginItem: LoginItem | undefined
  readonly secretStorage: AppInfo['secretStorage'] | undefined
}

export interface AppTrayOptions {
  /** The icon file for a state (see `trayIconFile`). */
  readonly iconFile: (state: OverallState) => string
  readonly platform: NodeJS.Platform
  /** Performs a menu item's action (see `performTrayAction`); the menu is built again once it settles. */
  readonly perform: (action: TrayAction) => Promise<void>
  /** What a plain click on the icon does (Windows and most Linux trays; macOS opens the menu instead). */
  readonly onClick: () => void
}

/** The tray as the shell holds it; the caller keeps it referenced while it lives. */
export interface AppTray {
  /** Builds the menu again from the latest facts. */
  refresh(): void
  /** The hub told the person something: a change Claude Desktop must restart to load keeps a Restart item in the menu. */
  noticed(notification: AppNotification): void
  destroy(): void
}

/**
 * The tray icon (the worst state of any server), its tooltip and its menu, built by `trayMenu`
 * from the servers and a few facts about the app, and again whenever one of them changes.
 */
export function createAppTray(sources: AppTraySources, options: AppTrayOptions): AppTray {
  let servers: readonly ServerView[] | undefined
  let restartClientNeeded = false
  let shownIcon = options.iconFile(overallState([]))
  let shownMenu = ''
  const tray = new Tray(shownIcon)

  const perform = (action: TrayAction): void => {
    if (action.kind === 'restart-client') restartClientNeeded = false
    void options.perform(action).finally(refresh)
  }
  function refresh(): void {
    if (tray.isDestroyed()) return
    const facts: TrayFacts = {
      servers,
      startAtLogin: sources.loginItem?.get(),
      secretStorage: sources.secretStorage,
      restartClientNeeded,
    }
    const icon = options.iconFile(overallState(servers ?? []))
    if (icon !== shownIcon) tray.setImage(icon)
    shownIcon = icon
    // Servers change with every request relayed; the menu (no counts in it) much less often. Setting
    // it again costs a round trip to the desktop's tray (D-Bus on Linux) and closes it if open.
    const items = trayMenu(facts)
    const tooltip = trayTooltip(facts)
    const shown = JSON.stringify([items, tooltip])
    if (shown === shownMenu) return
    shownMenu = shown
    tray.setToolTip(tooltip)
    tray.setContextMenu(Menu.buildFromTemplate(electronMenu(items, { platform: options.platform, perform })))
  }

  tray.on('click', options.onClick)
  refresh()
  const stop = sources.servers.onChange((next) => {
    servers = next
    refresh()
  })
  // A change that arrives while the first list is read is newer than it: keep the change.
  sources.servers.list().then(
    (first) => {
      if (servers === undefined) {
        servers = first
        refresh()
      }
    },
    () => undefined,
  )
  return {
    refresh,
    noticed(notification) {
      if (notification.action?.kind !== 'restart-client') return
      restartClientNeeded = true
      refresh()
    },
    destroy() {
      stop()
      tray.destroy()
    },
  }
}

/** The menu model as Electron's template: only the mapping, every decision is `trayMenu`'s. */
export function electronMenu(items: readonly TrayMenuItem[], options: { readonly platform: NodeJS.Platform; readonly perform: (action: TrayAction) => void }): MenuItemConstructorOptions[] {
  // Windows and Linux read `&` as the mark of an access key: a label's own `&` must be doubled.
  const label = (text: string): string => (options.platform === 'darwin' ? text : text.replaceAll('&', '&&'))
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' }
      case 'submenu':
        return { type: 'submenu', label: label(item.label), enabled: item.enabled, submenu: electronMenu(item.submenu, options) }
      case 'checkbox': {
        const { action } = item
        return { type: 'checkbox', label: label(item.label), enabled: item.enabled, checked: item.checked, click: () => options.perform(action) }
      }
      case 'normal': {
        const { action } = item
        return { label: label(item.label), enabled: item.enabled, ...(action ? { click: () => options.perform(action) } : {}) }
      }
    }
  })
}
