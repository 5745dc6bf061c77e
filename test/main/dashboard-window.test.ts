import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { shell } from 'electron'
import { createDashboardWindow } from '../../src/main/dashboard-window'
import { dashboardContentSecurityPolicy } from '../../src/main/dashboard-session'
import { dashboardViewUrl } from '../../src/main/dashboard-view-url'
import { locateRenderer } from '../../src/main/renderer-location'
import { electronMock } from '../mocks/electron'

const builtIndexFile = join('/opt', 'MCP Tray', 'resources', 'app.asar', 'out', 'renderer', 'index.html')
const location = locateRenderer({ devServerUrl: undefined, isPackaged: true, builtIndexFile })
const page = location.url

describe('the dashboard window (electron mocked)', () => {
  let opened: string[]

  beforeEach(() => {
    electronMock.reset()
    opened = []
    vi.spyOn(shell, 'openExternal').mockImplementation(async (url) => void opened.push(url))
  })
  afterEach(() => vi.restoreAllMocks())

  function open(view?: Parameters<ReturnType<typeof createDashboardWindow>['open']>[0]) {
    const dashboard = createDashboardWindow({ location, preloadFile: '/app/out/preload/index.cjs', contentSecurityPolicy: dashboardContentSecurityPolicy })
    dashboard.open(view)
    return { dashboard, window: electronMock.windows.at(-1)! }
  }

  it('runs the page sandboxed, context-isolated, without Node, webviews or insecure content', () => {
    const { window } = open()
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
    })
    expect(window.webContents.loaded).toEqual([page])
  })

  it('keeps the page on our own pages, and opens http(s) links in the browser, nothing else', () => {
    const { window } = open()
    const contents = window.webContents
    expect(contents.navigate('will-navigate', `${page}#/log`)).toBe(false)
    expect(contents.navigate('will-navigate', 'https://example.com/docs')).toBe(true)
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(true)
    expect(contents.navigate('will-attach-webview', page)).toBe(true)
    expect(contents.windowOpenHandler?.({ url: 'https://github.com/org/repo/issues' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'smb://host/share' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://example.com/docs', 'https://github.com/org/repo/issues'])
  })

  it('refuses every permission but our own pages’ clipboard write', () => {
    open()
    const session = electronMock.windows[0]!.webContents.session
    const request = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined
      session.permissionRequestHandler?.(null, permission, (answer) => void (granted = answer), { requestingUrl })
      return granted
    }
    expect(request('clipboard-sanitized-write', `${page}#/log`)).toBe(true)
    expect(request('clipboard-sanitized-write', 'https://example.com/')).toBe(false)
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) expect(request(permission, page)).toBe(false)
    expect(session.permissionCheckHandler?.(null, 'clipboard-sanitized-write', 'file://', { requestingUrl: page })).toBe(true)
    expect(session.permissionCheckHandler?.(null, 'hid', 'file://', { requestingUrl: page })).toBe(false)
  })

  it('sends our pages with a strict Content Security Policy, replacing any other, and leaves other responses alone', () => {
    open()
    const listener = electronMock.windows[0]!.webContents.session.headersListener!
    let answer: unknown
    listener({ url: page, responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } }, (response) => (answer = response))
    expect(answer).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [dashboardContentSecurityPolicy] } })
    listener({ url: 'https://example.com/', responseHeaders: {} }, (response) => (answer = response))
    expect(answer).toEqual({})
    expect(dashboardContentSecurityPolicy).toMatch(/default-src 'self'; script-src 'self';.*object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'/)
    expect(dashboardContentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
  })

  it('the built page declares the same policy in its meta tag', () => {
    const html = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'renderer', 'index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(dashboardContentSecurityPolicy.replace("; frame-ancestors 'none'", ''))
  })

  it('opens at a view, and moves an open window to another view by its fragment', () => {
    const { dashboard, window } = open({ name: 'log', server: 'linear' })
    expect(window.webContents.loaded).toEqual([`${page}#/log?server=linear`])
    dashboard.open({ name: 'doctor', server: 'my server' })
    dashboard.open()
    expect(electronMock.windows).toHaveLength(1)
    expect(window.webContents.loaded).toEqual([`${page}#/log?server=linear`, `${page}#/doctor?server=my+server`])
    expect(window.visible && window.focused).toBe(true)
  })

  it('creates the window again after it was closed, hardening the session once', () => {
    const { dashboard, window } = open()
    const headersListener = window.webContents.session.headersListener
    window.close()
    dashboard.open({ name: 'add' })
    expect(electronMock.windows).toHaveLength(2)
    expect(electronMock.windows[1]!.webContents.loaded).toEqual([`${page}#/add`])
    expect(electronMock.windows[1]!.webContents.session.headersListener).toBe(headersListener)
  })
})

describe('dashboardViewUrl', () => {
  it('puts the view in the fragment as the renderer’s router reads it, replacing any fragment', () => {
    expect(dashboardViewUrl('file:///app/index.html', { name: 'servers' })).toBe('file:///app/index.html#/servers')
    expect(dashboardViewUrl('http://localhost:5173/#/log', { name: 'diagnostics', server: 'a&b' })).toBe('http://localhost:5173/#/diagnostics?server=a%26b')
  })
})
