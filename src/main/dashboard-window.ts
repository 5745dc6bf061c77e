import { BrowserWindow } from 'electron'
import type { RendererLocation } from './renderer-location'

export interface DashboardWindowOptions {
  readonly location: RendererLocation
  readonly preloadFile: string
}

export interface DashboardWindow {
  /** Shows the dashboard, creating its window when there is none. */
  open(): void
  /** Sends a message to the page, when the window is open. */
  send(channel: string, payload: unknown): void
}

/**
 * The one dashboard window: sandboxed, context-isolated, no Node in the page, and kept on our
 * own pages (navigation elsewhere and new windows are refused).
 */
export function createDashboardWindow(options: DashboardWindowOptions): DashboardWindow {
  let window: BrowserWindow | undefined

  function create(): BrowserWindow {
    const created = new BrowserWindow({
      width: 960,
      height: 640,
      minWidth: 560,
      minHeight: 400,
      show: false,
      webPreferences: {
        preload: options.preloadFile,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    })
    created.once('ready-to-show', () => created.show())
    created.on('closed', () => {
      window = undefined
    })
    created.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
    created.webContents.on('will-navigate', (event) => {
      if (!options.location.isOwnUrl(event.url)) event.preventDefault()
    })
    void created.loadURL(options.location.url)
    return created
  }

  return {
    open() {
      if (window === undefined || window.isDestroyed()) {
        window = create()
        return
      }
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
    },
    send(channel, payload) {
      if (window !== undefined && !window.isDestroyed()) window.webContents.send(channel, payload)
    },
  }
}
