import { describe, expect, it } from 'vitest'
import type { ServerView } from '../../../src/shared/server-view'
import { serverStateWords, trayMenu, type TrayFacts, type TrayMenuItem } from '../../../src/core/tray/tray-menu'
import { trayTooltip } from '../../../src/core/tray/tray-tooltip'

function view(server: string, overrides: Partial<ServerView> = {}): ServerView {
  return {
    server,
    state: 'idle',
    proxies: 0,
    requests: 0,
    errors: 0,
    url: `https://${server}.example.com/mcp`,
    options: {},
    signIn: { state: 'signed-in' },
    clients: ['claude-desktop'],
    recentLatencyMs: [],
    ...overrides,
  }
}

const facts = (servers: readonly ServerView[] | undefined, extra: Partial<TrayFacts> = {}): TrayFacts => ({ servers, startAtLogin: false, ...extra })

/** The menu as lines a person reads: `label [action]`, submenus indented, separators as `---`. */
function lines(items: readonly TrayMenuItem[], indent = ''): string[] {
  return items.flatMap((item): string[] => {
    if (item.type === 'separator') return [`${indent}---`]
    if (item.type === 'submenu') return [`${indent}${item.label} >`, ...lines(item.submenu, `${indent}  `)]
    const mark = item.type === 'checkbox' ? (item.checked ? '[x] ' : '[ ] ') : ''
    const action = item.action ? ` [${JSON.stringify(item.action)}]` : item.enabled ? '' : ' (disabled)'
    return [`${indent}${mark}${item.label}${action}`]
  })
}

function submenuOf(items: readonly TrayMenuItem[], server: string): string[] {
  const found = items.find((item) => item.type === 'submenu' && item.label.startsWith(`${server} — `))
  if (found?.type !== 'submenu') throw new Error(`no submenu for ${server}`)
  return [found.label, ...lines(found.submenu)]
}

describe('trayMenu', () => {
  it('shows the app items around an empty server list', () => {
    expect(lines(trayMenu(facts([])))).toEqual([
      'No servers yet (disabled)',
      '---',
      'Add server… [{"kind":"open-view","view":{"name":"add"}}]',
      'Open dashboard [{"kind":"open-view","view":{"name":"servers"}}]',
      '---',
      '[ ] Start at login [{"kind":"set-start-at-login","enabled":true}]',
      '---',
      'Quit MCP Tray [{"kind":"quit"}]',
    ])
  })

  it('says the servers are being read before the first list arrives', () => {
    expect(lines(trayMenu(facts(undefined)))[0]).toBe('Reading servers… (disabled)')
  })

  it('checks Start at login when it is on, turns it off when clicked, and leaves it out where the app cannot set it', () => {
    expect(lines(trayMenu(facts([], { startAtLogin: true })))).toContain('[x] Start at login [{"kind":"set-start-at-login","enabled":false}]')
    const withoutLoginItem = lines(trayMenu(facts([], { startAtLogin: undefined })))
    expect(withoutLoginItem.some((line) => line.includes('Start at login'))).toBe(false)
    expect(withoutLoginItem.slice(-3)).toEqual(['Open dashboard [{"kind":"open-view","view":{"name":"servers"}}]', '---', 'Quit MCP Tray [{"kind":"quit"}]'])
  })

  it('lists a connected server with its proxies, who is signed in, Sign out, Open log and Doctor', () => {
    const menu = trayMenu(facts([view('linear', { state: 'connected', proxies: 2, signIn: { state: 'signed-in', subject: 'alice@example.com' } })]))
    expect(submenuOf(menu, 'linear')).toEqual([
      'linear — Connected (2 proxies)',
      'Signed in as alice@example.com (disabled)',
      '---',
      'Sign out [{"kind":"sign-out","server":"linear"}]',
      'Open log [{"kind":"open-log","server":"linear"}]',
      'Doctor [{"kind":"open-view","view":{"name":"doctor","server":"linear"}}]',
    ])
  })

  it('counts one proxy in the singular', () => {
    expect(serverStateWords(view('a', { state: 'connected', proxies: 1 }))).toBe('Connected (1 proxy)')
  })

  it('offers Sign in for a server that needs it, with the reason', () => {
    const menu = trayMenu(facts([view('notion', { state: 'sign-in-needed', lastError: 'The refresh token was revoked.', signIn: { state: 'sign-in-needed' } })]))
    expect(submenuOf(menu, 'notion')).toEqual([
      'notion — Sign-in needed',
      'The refresh token was revoked. (disabled)',
      '---',
      'Sign in… [{"kind":"sign-in","server":"notion"}]',
      'Open log [{"kind":"open-log","server":"notion"}]',
      'Doctor [{"kind":"open-view","view":{"name":"doctor","server":"notion"}}]',
    ])
  })

  it('offers Sign in rather than Sign out while sign-in is needed, even with tokens still in the vault', () => {
    const menu = trayMenu(facts([view('notion', { state: 'sign-in-needed', signIn: { state: 'signed-in' } })]))
    expect(submenuOf(menu, 'notion')).toContain('Sign in… [{"kind":"sign-in","server":"notion"}]')
  })

  it('offers the sign-in page of a sign-in waiting in the browser', () => {
    const url = 'https://auth.example.com/authorize?client_id=x&state=y'
    const menu = trayMenu(
      facts([view('github', { state: 'signing-in', signIn: { state: 'signed-out' }, pendingSignIn: { url, message: 'Opening the browser', since: '2026-01-01T00:00:00.000Z' } })]),
    )
    expect(submenuOf(menu, 'github')).toEqual([
      'github — Waiting for sign-in in the browser',
      `Open the sign-in page [${JSON.stringify({ kind: 'open-url', url })}]`,
      'Open log [{"kind":"open-log","server":"github"}]',
      'Doctor [{"kind":"open-view","view":{"name":"doctor","server":"github"}}]',
    ])
  })

  it('shows a sign-in that has no address yet as running', () => {
    const menu = trayMenu(facts([view('github', { state: 'signing-in', signIn: { state: 'signed-out' } })]))
    expect(submenuOf(menu, 'github').slice(0, 2)).toEqual(['github — Signing in…', 'Signing in… (disabled)'])
  })

  it('shows a failing server with its last error, clipped to fit a menu', () => {
    const lastError = `tools/call: ${'the server did not answer within 60 s; '.repeat(5)}`
    const menu = trayMenu(facts([view('slow', { state: 'error', errors: 4, lastError })]))
    const [label, detail] = submenuOf(menu, 'slow')
    expect(label).toBe('slow — Failing')
    expect(detail).toMatch(/^tools\/call: the server did not answer within 60 s; .*… \(disabled\)$/)
    expect(detail!.length).toBeLessThanOrEqual(72 + ' (disabled)'.length)
    expect(submenuOf(menu, 'slow')).toContain('Sign out [{"kind":"sign-out","server":"slow"}]')
  })

  it('offers Connect for a server no client starts yet, and Sign in after it is installed', () => {
    const fresh = trayMenu(facts([view('new', { clients: [], signIn: { state: 'signed-out' } })]))
    expect(submenuOf(fresh, 'new')).toEqual([
      'new — Not in any client yet',
      'Connect [{"kind":"connect","server":"new"}]',
      'Open log [{"kind":"open-log","server":"new"}]',
      'Doctor [{"kind":"open-view","view":{"name":"doctor","server":"new"}}]',
    ])
    const installed = trayMenu(facts([view('new', { signIn: { state: 'signed-out' } })]))
    expect(submenuOf(installed, 'new').slice(0, 2)).toEqual(['new — Idle', 'Sign in… [{"kind":"sign-in","server":"new"}]'])
    const signedInElsewhere = trayMenu(facts([view('new', { clients: [] })]))
    expect(submenuOf(signedInElsewhere, 'new').slice(1, 3)).toEqual(['Connect [{"kind":"connect","server":"new"}]', 'Sign out [{"kind":"sign-out","server":"new"}]'])
  })

  it('offers Sign in again after a failed sign-in', () => {
    const menu = trayMenu(facts([view('x', { signIn: { state: 'error', problem: 'The authorization server refused.' } })]))
    expect(submenuOf(menu, 'x')).toContain('Sign in… [{"kind":"sign-in","server":"x"}]')
  })

  it('warns first when tokens are not protected by a keyring, and offers a pending restart of Claude Desktop', () => {
    const menu = trayMenu(facts([view('a')], { secretStorage: { label: 'basic_text', weak: true }, restartClientNeeded: true }))
    expect(lines(menu).slice(0, 4)).toEqual([
      '⚠ Sign-in tokens are not protected by a keyring (disabled)',
      'Restart Claude Desktop to load changes [{"kind":"restart-client"}]',
      '---',
      'a — Idle >',
    ])
    expect(lines(trayMenu(facts([view('a')], { secretStorage: { label: 'Electron safeStorage (darwin)', weak: false } })))[0]).toBe('a — Idle >')
  })

  it('keeps the servers in the order given, one submenu each', () => {
    const menu = trayMenu(facts([view('a'), view('b', { state: 'connected', proxies: 1 }), view('c', { state: 'error' })]))
    expect(menu.filter((item) => item.type === 'submenu').map((item) => (item.type === 'submenu' ? item.label : ''))).toEqual([
      'a — Idle',
      'b — Connected (1 proxy)',
      'c — Failing',
    ])
  })
})

describe('trayTooltip', () => {
  it('counts servers by state, worst first', () => {
    const servers = [view('a', { state: 'connected', proxies: 1 }), view('b', { state: 'error' }), view('c', { state: 'connected', proxies: 3 }), view('d', { state: 'sign-in-needed' })]
    expect(trayTooltip({ servers })).toBe('MCP Tray: 1 failing, 1 needs sign-in, 2 connected')
    expect(trayTooltip({ servers: [view('a', { state: 'sign-in-needed' }), view('b', { state: 'sign-in-needed' })] })).toBe('MCP Tray: 2 need sign-in')
  })

  it('says when there is nothing yet, and warns about a weak token store', () => {
    expect(trayTooltip({ servers: undefined })).toBe('MCP Tray')
    expect(trayTooltip({ servers: [] })).toBe('MCP Tray: no servers yet')
    expect(trayTooltip({ servers: [view('a')], secretStorage: { label: 'basic_text', weak: true } })).toBe('MCP Tray: 1 idle\nSign-in tokens are not protected by a keyring.')
  })
})
