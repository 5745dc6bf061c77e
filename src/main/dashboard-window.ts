import { BrowserWindow, shell, type WebContents } from 'electron'
import { isWebAddress } from '../core/tray/tray-actions'
import type { DashboardView } from '../core/tray/tray-menu'
import { hardenDashboardSession } from './dashboard-session'
import { dashboardViewUrl } from './dashboard-view-url'
import type { RendererLocation } from './renderer-location'

export interface DashboardWindowOptions {
  readonly location: RendererLocation
  readonly preloadFile: string
  /** Sent with our pages (see `dashboardContentSecurityPolicy`); none for a development server. */
  readonly contentSecurityPolicy?: string
}

export interface DashboardWindow {
  /** Shows the dashboard, creating its window when there is none; at `view` when given. */
  open(view?: DashboardView): void
  /** Sends a message to the page, when the window is open. */
  send(channel: string, payload: unknown): void
}

/**
 * The one dashboard window: sandboxed, context-isolated, no Node in the page or its frames, no
 * `<webview>`, every permission refused but the clipboard write, and kept on our own pages:
 * navigation elsewhere and new windows are refused, and a link to an http(s) address opens in the
 * default browser instead (any other scheme is dropped).
 */
export function createDashboardWindow(options: DashboardWindowOptions): DashboardWindow {
  const { location } = options
  let window: BrowserWindow | undefined
  let hardened = false

  function openOutside(url: string): void {
    if (isWebAddress(url)) void shell.openExternal(url).catch(() => undefined)
  }

  function create(view: DashboardView | undefined): BrowserWindow {
    const created = new BrowserWindow({
      width: 1180,
      height: 760,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'MCP Tray',
      webPreferences: {
        preload: options.preloadFile,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        nodeIntegrationInWorker: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
      },
    })
    const contents = created.webContents
    if (!hardened) {
      // Once per session: every window of the app shares it.
      hardenDashboardSession(contents.session, {
        isOwnUrl: location.isOwnUrl,
        ...(options.contentSecurityPolicy === undefined ? {} : { contentSecurityPolicy: options.contentSecurityPolicy }),
      })
      hardened = true
    }
    created.once('ready-to-show', () => created.show())
    created.on('closed', () => {
      if (window === created) window = undefined
    })
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url)
      return { action: 'deny' }
    })
    contents.on('will-navigate', (event) => {
      if (location.isOwnUrl(event.url)) return
      event.preventDefault()
      openOutside(event.url)
    })
    contents.on('will-redirect', (event) => {
      if (!location.isOwnUrl(event.url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    load(contents, view ? dashboardViewUrl(location.url, view) : location.url)
    return created
  }

  return {
    open(view) {
      if (window === undefined || window.isDestroyed()) {
        window = create(view)
        return
      }
      // Only the fragment changes: the page follows it without reloading.
      if (view) load(window.webContents, dashboardViewUrl(location.url, view))
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
    },
    send(channel, payload) {
      if (window !== undefined && !window.isDestroyed()) window.webContents.send(channel, payload)
    },
  }
}

function load(contents: WebContents, url: string): void {
  // A load cut short by the next one (ERR_ABORTED) is no failure; a page that cannot load shows Chromium's error page.
  contents.loadURL(url).catch(() => undefined)
}
