import { Menu, Tray } from 'electron'

export interface AppTrayActions {
  readonly openDashboard: () => void
  readonly quit: () => void
}

/** The tray icon and its menu. The caller keeps the returned Tray referenced while it lives. */
export function createAppTray(iconFile: string, tooltip: string, actions: AppTrayActions): Tray {
  const tray = new Tray(iconFile)
  tray.setToolTip(tooltip)
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open dashboard', click: actions.openDashboard },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]),
  )
  // Windows and most Linux trays report a plain click; macOS opens the menu instead.
  tray.on('click', actions.openDashboard)
  return tray
}
