import { EventEmitter } from 'node:events'

/**
 * The `electron` module at the glue boundary: its binary cannot be installed on the build
 * machines, so tests that load src/main see this stand-in. Only what the glue touches is here.
 * The fakes record what the glue did with them in `electronMock`, for tests to read (import it
 * from this file: `import { electronMock } from '../mocks/electron'`).
 */

interface LoginItemSettingsSet {
  readonly openAtLogin?: boolean
  readonly args?: string[]
}

/** What the glue did, since the last `electronMock.reset()`. */
export const electronMock = {
  trays: [] as FakeTray[],
  notifications: [] as FakeNotification[],
  windows: [] as FakeBrowserWindow[],
  loginItem: { openAtLogin: false, args: [] as string[] },
  loginItemCalls: [] as LoginItemSettingsSet[],
  notificationsSupported: true,
  reset(): void {
    this.trays.length = 0
    this.notifications.length = 0
    this.windows.length = 0
    this.loginItem = { openAtLogin: false, args: [] }
    this.loginItemCalls.length = 0
    this.notificationsSupported = true
    session.defaultSession = new FakeSession()
  },
}

export const app = {
  name: 'MCP Tray',
  getPath: (_name: string): string => process.env.MCP_TRAY_HOME ?? process.cwd(),
  getVersion: (): string => '0.0.0-test',
  isPackaged: false,
  getLoginItemSettings: (options?: { args?: string[] }) => {
    const { openAtLogin, args } = electronMock.loginItem
    // Windows compares the arguments asked about with the ones set.
    const sameArgs = options?.args === undefined || JSON.stringify(options.args) === JSON.stringify(args)
    return { openAtLogin: openAtLogin && sameArgs, wasOpenedAtLogin: false, status: 'not-registered', executableWillLaunchAtLogin: openAtLogin, launchItems: [] }
  },
  setLoginItemSettings: (settings: LoginItemSettingsSet): void => {
    electronMock.loginItemCalls.push(settings)
    electronMock.loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [] }
  },
}

export const safeStorage = {
  isEncryptionAvailable: (): boolean => true,
  getSelectedStorageBackend: (): string => 'gnome_libsecret',
  encryptString: (plain: string): Buffer => Buffer.from(plain, 'utf8').reverse(),
  decryptString: (cipher: Buffer): string => Buffer.from(cipher).reverse().toString('utf8'),
}

export const shell = {
  openExternal: async (_url: string): Promise<void> => {},
}

/** A menu is its template here: tests click its items' `click`. */
export interface FakeMenu {
  readonly items: readonly Record<string, unknown>[]
}

export const Menu = {
  buildFromTemplate: (template: readonly Record<string, unknown>[]): FakeMenu => ({ items: template }),
}

export class FakeTray extends EventEmitter {
  image: string
  toolTip = ''
  menu: FakeMenu | undefined
  destroyed = false

  constructor(image: string) {
    super()
    this.image = image
    electronMock.trays.push(this)
  }

  setImage(image: string): void {
    this.image = image
  }

  setToolTip(toolTip: string): void {
    this.toolTip = toolTip
  }

  setContextMenu(menu: FakeMenu): void {
    this.menu = menu
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  destroy(): void {
    this.destroyed = true
  }
}
export { FakeTray as Tray }

export class FakeNotification extends EventEmitter {
  readonly options: { readonly title?: string; readonly body?: string; readonly icon?: string }
  shown = false

  static isSupported(): boolean {
    return electronMock.notificationsSupported
  }

  constructor(options: { title?: string; body?: string; icon?: string }) {
    super()
    this.options = options
    electronMock.notifications.push(this)
  }

  show(): void {
    this.shown = true
  }
}
export { FakeNotification as Notification }

type HeadersListener = (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void

export class FakeSession {
  permissionRequestHandler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void) | undefined
  permissionCheckHandler: ((webContents: unknown, permission: string, origin: string, details: { requestingUrl?: string }) => boolean) | undefined
  headersListener: HeadersListener | undefined
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener): void => {
      this.headersListener = listener
    },
  }

  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler
  }

  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler
  }
}

export const session = { defaultSession: new FakeSession() }

export class FakeWebContents extends EventEmitter {
  readonly session = session.defaultSession
  readonly loaded: string[] = []
  readonly sent: { channel: string; payload: unknown }[] = []
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler
  }

  async loadURL(url: string): Promise<void> {
    this.loaded.push(url)
  }

  getURL(): string {
    return this.loaded.at(-1) ?? ''
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }

  /** What Electron does when the page starts a navigation: the listeners may prevent it; returns whether one did. */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url: string): boolean {
    let prevented = false
    this.emit(event, { url, preventDefault: () => void (prevented = true) })
    return prevented
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly options: { readonly webPreferences?: Record<string, unknown> } & Record<string, unknown>
  readonly webContents = new FakeWebContents()
  destroyed = false
  minimized = false
  visible = false
  focused = false

  constructor(options: FakeBrowserWindow['options']) {
    super()
    this.options = options
    electronMock.windows.push(this)
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  isMinimized(): boolean {
    return this.minimized
  }

  restore(): void {
    this.minimized = false
  }

  show(): void {
    this.visible = true
  }

  focus(): void {
    this.focused = true
  }

  /** The person closes the window. */
  close(): void {
    this.destroyed = true
    this.emit('closed')
  }
}
export { FakeBrowserWindow as BrowserWindow }

export default { app, safeStorage, shell, Menu, Tray: FakeTray, Notification: FakeNotification, BrowserWindow: FakeBrowserWindow, session }
