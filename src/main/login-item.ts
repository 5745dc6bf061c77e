import { app } from 'electron'
import { backgroundFlag } from '../core/hub/hub-launcher'
import { XdgAutostart } from './xdg-autostart'

/** Whether the app starts when the person logs in, as the tray menu and the Settings view change it. */
export interface LoginItem {
  get(): boolean
  set(enabled: boolean): void
}

/**
 * The app's login item: Electron's on macOS and Windows, an XDG autostart entry on Linux. Started
 * at login, the app runs in the background (tray and hub, no window), as when a proxy starts it.
 * Undefined where there is none (another platform, or an unpackaged Linux build, whose executable
 * is Electron's own).
 */
export function appLoginItem(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): LoginItem | undefined {
  if (platform === 'win32') {
    // Windows compares the arguments too: ask with the same ones that are set.
    const options = { args: [backgroundFlag] }
    return {
      get: () => app.getLoginItemSettings(options).openAtLogin,
      set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, ...options }),
    }
  }
  if (platform === 'darwin') {
    return {
      get: () => app.getLoginItemSettings().openAtLogin,
      set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
    }
  }
  if (platform === 'linux' && app.isPackaged) {
    // An AppImage runs from a temporary mount: the autostart entry must name the AppImage file itself.
    const program = env.APPIMAGE || process.execPath
    return new XdgAutostart({ configHome: env.XDG_CONFIG_HOME, command: [program, backgroundFlag], name: app.name, id: 'mcp-tray' })
  }
  return undefined
}

/** Whether this run was started at login (the app then opens no window). */
export function startedAtLogin(platform: NodeJS.Platform, argv: readonly string[]): boolean {
  if (argv.includes(backgroundFlag)) return true
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin
}
