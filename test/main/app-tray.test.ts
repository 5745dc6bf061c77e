import { beforeEach, describe, expect, it } from 'vitest'
import type { TrayAction } from '../../src/core/tray/tray-menu'
import type { ServerView } from '../../src/shared/server-view'
import { performTrayAction } from '../../src/core/tray/tray-actions'
import { createAppTray, type AppTraySources } from '../../src/main/app-tray'
import { appLoginItem } from '../../src/main/login-item'
import { electronMock, type FakeMenu } from '../mocks/electron'

function view(server: string, overrides: Partial<ServerView> = {}): ServerView {
  return { server, state: 'idle', proxies: 0, requests: 0, errors: 0, url: `https://${server}.example.com/mcp`, options: {}, signIn: { state: 'signed-in' }, clients: ['claude-desktop'], recentLatencyMs: [], ...overrides }
}

/** The servers as the hub pushes them: a first list, then changes. */
function serverSource(first: readonly ServerView[]) {
  const listeners = new Set<(servers: readonly ServerView[]) => void>()
  return {
    list: async () => first,
    onChange: (listener: (servers: readonly ServerView[]) => void) => (listeners.add(listener), () => listeners.delete(listener)),
    push: (servers: readonly ServerView[]) => listeners.forEach((listener) => listener(servers)),
    listeners,
  }
}

type Item = Record<string, unknown> & { label?: string; click?: () => void; submenu?: Item[]; checked?: boolean }
const items = (menu: FakeMenu | undefined): Item[] => (menu?.items ?? []) as Item[]
const find = (list: Item[], label: string): Item => {
  const found = list.find((item) => item.label === label)
  if (!found) throw new Error(`no item "${label}" in ${list.map((item) => item.label).join(', ')}`)
  return found
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const unused = (): never => {
  throw new Error('not used here')
}

describe('the app tray (electron mocked)', () => {
  beforeEach(() => electronMock.reset())

  function start(sources: Partial<AppTraySources> & { servers: AppTraySources['servers'] }, platform: NodeJS.Platform = 'linux', perform?: (action: TrayAction) => Promise<void>) {
    const performed: TrayAction[] = []
    let clicks = 0
    const tray = createAppTray(
      { loginItem: undefined, secretStorage: undefined, ...sources },
      {
        iconFile: (state) => `/icons/${state}.png`,
        platform,
        perform: async (action) => {
          performed.push(action)
          await perform?.(action)
        },
        onClick: () => void (clicks += 1),
      },
    )
    const fake = electronMock.trays.at(-1)!
    return { tray, fake, performed, clicks: () => clicks }
  }

  it('builds the menu from the servers, rebuilds it and the icon when they change, and performs a clicked item', async () => {
    const servers = serverSource([view('linear', { state: 'connected', proxies: 2 })])
    const { fake, performed, clicks } = start({ servers })
    expect(items(fake.menu)[0]?.label).toBe('Reading servers…')
    await settle()
    expect(fake.image).toBe('/icons/connected.png')
    expect(fake.toolTip).toBe('MCP Tray: 1 connected')
    const linear = find(items(fake.menu), 'linear — Connected (2 proxies)')
    find(linear.submenu!, 'Open log').click!()
    find(items(fake.menu), 'Add server…').click!()
    expect(performed).toEqual([{ kind: 'open-log', server: 'linear' }, { kind: 'open-view', view: { name: 'add' } }])

    servers.push([view('linear', { state: 'sign-in-needed', lastError: 'Revoked.' })])
    expect(fake.image).toBe('/icons/attention.png')
    const needing = find(items(fake.menu), 'linear — Sign-in needed')
    find(needing.submenu!, 'Sign in…').click!()
    expect(performed.at(-1)).toEqual({ kind: 'sign-in', server: 'linear' })

    fake.emit('click')
    expect(clicks()).toBe(1)
  })

  it('sets the menu again only when what it shows changed, not at every request relayed', async () => {
    const servers = serverSource([view('linear', { state: 'connected', proxies: 1, requests: 1 })])
    const { fake } = start({ servers })
    await settle()
    const menu = fake.menu
    servers.push([view('linear', { state: 'connected', proxies: 1, requests: 2, lastActivity: '2026-01-01T00:00:01.000Z' })])
    expect(fake.menu).toBe(menu)
    servers.push([view('linear', { state: 'connected', proxies: 2, requests: 3 })])
    expect(fake.menu).not.toBe(menu)
  })

  it('keeps a change that arrives before the first list', async () => {
    const servers = serverSource([view('old')])
    const { fake } = start({ servers })
    servers.push([view('new', { state: 'error' })])
    await settle()
    expect(items(fake.menu).map((item) => item.label)).toContain('new — Failing')
    expect(fake.image).toBe('/icons/error.png')
  })

  it.each(['darwin', 'win32'] as const)('toggles Start at login through app.setLoginItemSettings on %s and shows it checked after', async (platform) => {
    const loginItem = appLoginItem(platform)!
    // As index.ts wires it: the action sets the login item; the menu is built again once it settles.
    const perform = (action: TrayAction) =>
      performTrayAction(action, {
        api: { connect: unused, signIn: unused, signOut: unused },
        openView: unused,
        openExternal: unused,
        restartClient: unused,
        setStartAtLogin: (enabled) => loginItem.set(enabled),
        quit: unused,
        restartNeeded: unused,
        tell: unused,
      })
    const { fake } = start({ servers: serverSource([]), loginItem }, platform, perform)
    await settle()
    expect(find(items(fake.menu), 'Start at login').checked).toBe(false)
    find(items(fake.menu), 'Start at login').click!()
    await settle()
    const args = platform === 'win32' ? { args: ['--background'] } : {}
    expect(electronMock.loginItemCalls).toEqual([{ openAtLogin: true, ...args }])
    expect(find(items(fake.menu), 'Start at login').checked).toBe(true)
    find(items(fake.menu), 'Start at login').click!()
    await settle()
    expect(electronMock.loginItemCalls.at(-1)).toEqual({ openAtLogin: false, ...args })
    expect(find(items(fake.menu), 'Start at login').checked).toBe(false)
  })

  it('has no Start at login on Linux unpackaged, where the executable is Electron’s own', async () => {
    const { fake } = start({ servers: serverSource([]), loginItem: appLoginItem('linux') })
    await settle()
    expect(items(fake.menu).some((item) => item.label === 'Start at login')).toBe(false)
  })

  it('keeps Restart Claude Desktop in the menu after a notification asked for it, until it is chosen', async () => {
    const { fake, tray, performed } = start({ servers: serverSource([]) })
    await settle()
    tray.noticed({ id: '1', cause: 'repeated-failures', title: 't', body: 'b', time: '2026-01-01T00:00:00.000Z', action: { kind: 'open-log', server: 's' } })
    expect(items(fake.menu).some((item) => item.label === 'Restart Claude Desktop to load changes')).toBe(false)
    tray.noticed({ id: '2', cause: 'restart-client', title: 't', body: 'b', time: '2026-01-01T00:00:00.000Z', action: { kind: 'restart-client' } })
    find(items(fake.menu), 'Restart Claude Desktop to load changes').click!()
    await settle()
    expect(performed).toEqual([{ kind: 'restart-client' }])
    expect(items(fake.menu).some((item) => item.label === 'Restart Claude Desktop to load changes')).toBe(false)
  })

  it('warns in the tooltip and the menu when tokens have no keyring', async () => {
    const { fake } = start({ servers: serverSource([]), secretStorage: { label: 'Electron safeStorage with the basic_text backend', weak: true } })
    await settle()
    expect(fake.toolTip).toBe('MCP Tray: no servers yet\nSign-in tokens are not protected by a keyring.')
    expect(items(fake.menu)[0]).toMatchObject({ label: '⚠ Sign-in tokens are not protected by a keyring', enabled: false })
  })

  it('doubles a label’s own & on Windows and Linux, where & marks an access key, but not on macOS', async () => {
    const servers = [view('a', { state: 'error', lastError: 'Q&A server failed' })]
    const windows = start({ servers: serverSource(servers) }, 'win32').fake
    const mac = start({ servers: serverSource(servers) }, 'darwin').fake
    await settle()
    expect(find(items(windows.menu), 'a — Failing').submenu![0]?.label).toBe('Q&&A server failed')
    expect(find(items(mac.menu), 'a — Failing').submenu![0]?.label).toBe('Q&A server failed')
  })

  it('stops following the servers when destroyed', async () => {
    const servers = serverSource([])
    const { tray, fake } = start({ servers })
    await settle()
    tray.destroy()
    expect(fake.destroyed).toBe(true)
    expect(servers.listeners.size).toBe(0)
    tray.refresh()
  })
})
