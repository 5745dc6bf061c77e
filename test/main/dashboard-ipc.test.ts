import { describe, expect, it } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { dashboardMethods, type DashboardApi } from '../../src/shared/dashboard-api'
import { TrayError } from '../../src/shared/tray-error'
import { registerDashboardHandlers } from '../../src/main/dashboard-ipc'

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown

const ownUrl = 'file:///app/out/renderer/index.html'

function register(handlers: DashboardApi): Map<string, Listener> {
  const listeners = new Map<string, Listener>()
  registerDashboardHandlers({ handle: (channel, listener) => listeners.set(channel, listener) }, handlers, (url) => url === ownUrl)
  return listeners
}

const eventFrom = (url: string | undefined) =>
  ({ senderFrame: url === undefined ? null : { url } }) as unknown as IpcMainInvokeEvent

const handlers: DashboardApi = {
  ...(Object.fromEntries(dashboardMethods.map((method) => [method, async () => null])) as unknown as DashboardApi),
  getAppInfo: async () => ({ name: 'MCP Tray', version: '1.2.3', shell: 'electron' }),
}

describe('registerDashboardHandlers', () => {
  it('registers one channel per dashboard method', () => {
    expect([...register(handlers).keys()]).toEqual([...dashboardMethods])
  })

  it('answers our own page', async () => {
    const listener = register(handlers).get('getAppInfo')!
    await expect(listener(eventFrom(ownUrl))).resolves.toEqual({ name: 'MCP Tray', version: '1.2.3', shell: 'electron' })
  })

  it('refuses other pages and closed frames without calling the handler', () => {
    let calls = 0
    const listener = register({ ...handlers, getAppInfo: async () => (calls++, handlers.getAppInfo()) }).get('getAppInfo')!
    for (const url of ['https://example.com/', undefined]) {
      let thrown: unknown
      try {
        listener(eventFrom(url))
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(TrayError)
      expect((thrown as TrayError).code).toBe('ipc_untrusted_sender')
    }
    expect(calls).toBe(0)
  })
})
