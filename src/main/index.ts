import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog, ipcMain } from 'electron'
import { backgroundFlag } from '../core/hub/hub-launcher'
import { overallState } from '../core/hub/overall-state'
import { dashboardEventChannel } from '../shared/dashboard-events'
import { describeError } from '../shared/tray-error'
import { startAppHub } from './app-hub'
import { createAppTray } from './app-tray'
import { registerDashboardHandlers } from './dashboard-ipc'
import { createDashboardWindow } from './dashboard-window'
import { locateRenderer } from './renderer-location'
import { claimSingleInstance, onSecondInstance } from './single-instance'
import { trayIconFile } from './tray-icon-file'

/** The composition root of the Electron shell: wires the glue modules together, nothing more. */
async function start(): Promise<void> {
  const location = locateRenderer({
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    isPackaged: app.isPackaged,
    builtIndexFile: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
  })

  await app.whenReady()
  // The same folder the proxies' entries name (MCP_TRAY_HOME), by default Electron's userData.
  const hub = await startAppHub(process.env.MCP_TRAY_HOME || app.getPath('userData'))
  registerDashboardHandlers(ipcMain, hub.api, location.isOwnUrl)
  const dashboard = createDashboardWindow({
    location,
    preloadFile: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
  })
  // A proxy that found no hub while this app was starting asks for the background only.
  hub.events.onEvent(({ event }) => dashboard.send(dashboardEventChannel, event))
  onSecondInstance((argv) => {
    if (!argv.includes(backgroundFlag)) dashboard.open()
  })
  app.on('activate', dashboard.open)
  // A tray app stays when its last window closes; only Quit ends it.
  app.on('window-all-closed', () => {})

  // Packaged, the icons are copied next to app.asar (electron-builder.yml extraResources).
  const resourcesDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources')
  const iconFor = () => trayIconFile(overallState(hub.status.list()), process.platform, resourcesDir)
  const tray = createAppTray(iconFor(), app.name, {
    openDashboard: dashboard.open,
    quit: () => app.quit(),
  })
  hub.status.onChange(() => tray.setImage(iconFor()))
  // Holding the tray in this listener also keeps it from being garbage-collected.
  let hubClosed = false
  app.on('will-quit', (event) => {
    if (hubClosed) return
    // Close the socket and flush the log files before the process ends.
    event.preventDefault()
    tray.destroy()
    void hub.close().finally(() => {
      hubClosed = true
      app.quit()
    })
  })

  // Started by a proxy that found no hub: the hub and the tray, but no window.
  if (!process.argv.includes(backgroundFlag)) dashboard.open()
}

if (claimSingleInstance()) {
  start().catch((error: unknown) => {
    dialog.showErrorBox('MCP Tray could not start', describeError(error))
    app.exit(1)
  })
} else {
  app.quit()
}
