import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog, ipcMain, shell } from 'electron'
import { restartClaudeDesktop, runCommand } from '../core/clients/claude-process'
import { launchOfProcess } from '../core/clients/entry-builder'
import { backgroundFlag } from '../core/hub/hub-launcher'
import { installLastResort } from '../core/hub/last-resort'
import { performTrayAction } from '../core/tray/tray-actions'
import type { TrayAction } from '../core/tray/tray-menu'
import { dashboardEventChannel } from '../shared/dashboard-events'
import { describeError } from '../shared/tray-error'
import { startAppHub } from './app-hub'
import { AppNotifier } from './app-notifier'
import { createAppTray } from './app-tray'
import { registerDashboardHandlers } from './dashboard-ipc'
import { dashboardContentSecurityPolicy } from './dashboard-session'
import { createDashboardWindow } from './dashboard-window'
import { appLoginItem, startedAtLogin } from './login-item'
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
  // Windows shows a notification only for an app with a user model id (electron-builder.yml appId).
  if (process.platform === 'win32') app.setAppUserModelId('dev.mcptray.app')
  const loginItem = appLoginItem(process.platform)
  // The same folder the proxies' entries name (MCP_TRAY_HOME), by default Electron's userData.
  const hub = await startAppHub(process.env.MCP_TRAY_HOME || app.getPath('userData'), {
    // Client apps start the proxy with this very executable, run as Node, and the built CLI beside it.
    proxyLaunch: launchOfProcess({ execPath: process.execPath, scriptPath: fileURLToPath(new URL('../cli/index.js', import.meta.url)), versions: process.versions }),
    loginItem,
  })
  registerDashboardHandlers(ipcMain, hub.api, location.isOwnUrl)
  const dashboard = createDashboardWindow({
    location,
    preloadFile: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
    ...(location.development ? {} : { contentSecurityPolicy: dashboardContentSecurityPolicy }),
  })
  hub.events.onEvent(({ event }) => dashboard.send(dashboardEventChannel, event))
  // A proxy that found no hub while this app was starting asks for the background only.
  onSecondInstance((argv) => {
    if (!argv.includes(backgroundFlag)) dashboard.open()
  })
  app.on('activate', () => dashboard.open())
  // A tray app stays when its last window closes; only Quit ends it.
  app.on('window-all-closed', () => {})

  const perform = (action: TrayAction): Promise<void> =>
    performTrayAction(action, {
      api: hub.api,
      openView: (view) => dashboard.open(view),
      openExternal: (url) => shell.openExternal(url),
      restartClient: () => restartClaudeDesktop({ platform: process.platform, run: runCommand }),
      setStartAtLogin: (enabled) => loginItem?.set(enabled),
      quit: () => app.quit(),
      restartNeeded: (server, client) => hub.notifications.restartNeeded(server, client),
      tell: (title, message) => notifier.tell(title, message),
    })
  const notifier = new AppNotifier({ perform: (action) => void perform(action) })

  // Packaged, the icons are copied next to app.asar (electron-builder.yml extraResources).
  const resourcesDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources')
  const tray = createAppTray(
    {
      servers: {
        list: () => hub.api.listServers(),
        onChange: (listener) => hub.events.onEvent(({ event }) => event.type === 'servers' && listener(event.servers)),
      },
      loginItem,
      // How tokens are sealed: the tray warns when Linux found no keyring (safeStorage's basic_text backend).
      secretStorage: (await hub.api.getAppInfo()).secretStorage,
    },
    {
      iconFile: (state) => trayIconFile(state, process.platform, resourcesDir),
      platform: process.platform,
      perform,
      onClick: () => dashboard.open(),
    },
  )
  hub.notifications.onNotification((notification) => {
    notifier.notify(notification)
    tray.noticed(notification)
  })
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

  // Started at login, or by a proxy that found no hub: the hub and the tray, but no window.
  if (!startedAtLogin(process.platform, process.argv)) dashboard.open()
}

if (claimSingleInstance()) {
  // The app runs the hub every proxy of this user depends on: what nothing handled is reported, not fatal.
  installLastResort({ write: (line) => void process.stderr.write(line) })
  start().catch((error: unknown) => {
    dialog.showErrorBox('MCP Tray could not start', describeError(error))
    app.exit(1)
  })
} else {
  app.quit()
}
