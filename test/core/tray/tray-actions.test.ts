import { describe, expect, it } from 'vitest'
import type { ConnectRequest, ConnectResult } from '../../../src/shared/connect'
import { TrayError } from '../../../src/shared/tray-error'
import { isWebAddress, performTrayAction, type TrayActionTargets } from '../../../src/core/tray/tray-actions'
import type { TrayAction } from '../../../src/core/tray/tray-menu'

/** Targets that record what they were asked to do. */
function targets(overrides: Partial<TrayActionTargets> = {}) {
  const calls: string[] = []
  const connectResult: ConnectResult = { server: 'linear', created: false, signIn: { state: 'signed-in' }, installed: [], restartNeeded: ['claude-desktop'], restarted: [] }
  const base: TrayActionTargets = {
    api: {
      connect: async (request: ConnectRequest) => (calls.push(`connect ${JSON.stringify(request)}`), connectResult),
      signIn: async (name) => (calls.push(`signIn ${name}`), { state: 'signed-in' }),
      signOut: async (name) => (calls.push(`signOut ${name}`), { revoked: false, problem: 'The server did not revoke the token; it was forgotten here.' }),
    },
    openView: (view) => void calls.push(`openView ${JSON.stringify(view)}`),
    openExternal: async (url) => void calls.push(`openExternal ${url}`),
    restartClient: async () => (calls.push('restartClient'), { message: 'Claude Desktop was restarted and loads the change now.' }),
    setStartAtLogin: (enabled) => void calls.push(`setStartAtLogin ${enabled}`),
    quit: () => void calls.push('quit'),
    restartNeeded: (server, client) => void calls.push(`restartNeeded ${server} ${client}`),
    tell: (title, message) => void calls.push(`tell ${title}: ${message}`),
    ...overrides,
  }
  return { calls, targets: base }
}

describe('performTrayAction', () => {
  it('runs the use cases through the dashboard API and opens views and addresses through the shell', async () => {
    const { calls, targets: t } = targets()
    const actions: TrayAction[] = [
      { kind: 'connect', server: 'linear' },
      { kind: 'sign-in', server: 'notion' },
      { kind: 'sign-out', server: 'notion' },
      { kind: 'open-log', server: 'slow' },
      { kind: 'open-view', view: { name: 'doctor', server: 'slow' } },
      { kind: 'open-url', url: 'https://auth.example.com/authorize?x=1' },
      { kind: 'restart-client' },
      { kind: 'set-start-at-login', enabled: true },
      { kind: 'quit' },
    ]
    for (const action of actions) await performTrayAction(action, t)
    expect(calls).toEqual([
      'connect {"name":"linear"}',
      'restartNeeded linear claude-desktop',
      'signIn notion',
      'signOut notion',
      'tell Signed out of notion: The server did not revoke the token; it was forgotten here.',
      'openView {"name":"log","server":"slow"}',
      'openView {"name":"doctor","server":"slow"}',
      'openExternal https://auth.example.com/authorize?x=1',
      'restartClient',
      'tell Claude Desktop: Claude Desktop was restarted and loads the change now.',
      'setStartAtLogin true',
      'quit',
    ])
  })

  it('hands only http(s) addresses to the browser', async () => {
    const { calls, targets: t } = targets()
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) await performTrayAction({ kind: 'open-url', url }, t)
    expect(calls).toEqual(Array(4).fill('tell Not opened: MCP Tray opens only http and https addresses.'))
    expect(isWebAddress('http://127.0.0.1:3334/x')).toBe(true)
  })

  it('tells a failure with what to do instead of throwing it at the click', async () => {
    const { calls, targets: t } = targets({
      api: {
        connect: async () => {
          throw new Error('unreachable')
        },
        signIn: async () => {
          throw new TrayError('sign_in_cancelled', 'The sign-in to notion was cancelled in the browser.', { hint: 'Choose Sign in again.' })
        },
        signOut: async () => ({ revoked: true }),
      },
      setStartAtLogin: () => {
        throw new Error('no login items here')
      },
    })
    await performTrayAction({ kind: 'sign-in', server: 'notion' }, t)
    await performTrayAction({ kind: 'connect', server: 'linear' }, t)
    await performTrayAction({ kind: 'sign-out', server: 'notion' }, t)
    await performTrayAction({ kind: 'set-start-at-login', enabled: false }, t)
    expect(calls).toEqual([
      'tell Could not sign in to notion: The sign-in to notion was cancelled in the browser. Choose Sign in again.',
      'tell Could not connect linear: unreachable',
      'tell Could not stop starting MCP Tray at login: no login items here',
    ])
  })
})
