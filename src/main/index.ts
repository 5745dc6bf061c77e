import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog, ipcMain } from 'electron'
import { createDashboardService } from '../core/dashboard/dashboard-service'
import { describeError } from '../shared/tray-error'
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
  registerDashboardHandlers(ipcMain, createDashboardService('electron'), location.isOwnUrl)

  await app.whenReady()
  const dashboard = createDashboardWindow({
    location,
    preloadFile: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
  })
  onSecondInstance(dashboard.open)
  app.on('activate', dashboard.open)
  // A tray app stays when its last window closes; only Quit ends it.
  app.on('window-all-closed', () => {})

  // Packaged, the icons are copied next to app.asar (electron-builder.yml extraResources).
  const resourcesDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources')
  const tray = createAppTray(trayIconFile('idle', process.platform, resourcesDir), app.name, {
    openDashboard: dashboard.open,
    quit: () => app.quit(),
  })
  // Holding the tray in this listener also keeps it from being garbage-collected.
  app.on('will-quit', () => tray.destroy())

  dashboard.open()
}

if (claimSingleInstance()) {
  start().catch((error: unknown) => {
    dialog.showErrorBox('MCP Tray could not start', describeError(error))
    app.exit(1)
  })
} else {
  app.quit()
}
