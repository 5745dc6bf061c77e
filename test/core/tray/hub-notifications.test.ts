import { existsSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AppNotification, DashboardEvent } from '../../../src/shared/dashboard-events'
import { DashboardEventBus } from '../../../src/core/dashboard/dashboard-event-bus'
import { ClientConfigs } from '../../../src/core/clients/client-configs'
import { overrideVariable } from '../../../src/core/clients/client-kinds'
import { ServerStatusBoard } from '../../../src/core/hub/server-status'
import { HubNotifications } from '../../../src/core/tray/hub-notifications'
import { hostWithFile, tempFolder, testLaunch } from '../clients/support/temp-files'

describe('HubNotifications', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>> | undefined
  let notifications: HubNotifications | undefined
  let board: ServerStatusBoard | undefined

  afterEach(async () => {
    await notifications?.close()
    board?.close()
    await folder?.remove()
    folder = notifications = board = undefined
  })

  async function start(install: boolean) {
    folder = await tempFolder()
    const file = join(folder.dir, 'Claude', 'claude_desktop_config.json')
    const configs = new ClientConfigs({ dataDir: join(folder.dir, 'data'), launch: testLaunch, host: hostWithFile(overrideVariable('claude-desktop'), file, folder.dir) })
    if (install) await configs.install('claude-desktop', 'linear')
    board = new ServerStatusBoard({ coalesceMs: 1 })
    notifications = new HubNotifications({ status: board, configs: () => configs, guardDebounceMs: 50 })
    const told: AppNotification[] = []
    notifications.onNotification((notification) => told.push(notification))
    await notifications.guardClients()
    return { file, configs, told }
  }

  it('puts back the entry Claude Desktop stripped from its file and says so (click: restart it)', async () => {
    const { file, told } = await start(true)
    // What Claude Desktop does when it saves its settings: its own idea of the file, renamed over ours.
    await writeFile(`${file}.tmp`, '{\n  "mcpServers": {},\n  "preferences": {"sidebarMode": "chat"}\n}\n')
    await rename(`${file}.tmp`, file)
    await vi.waitFor(() => expect(told).toHaveLength(1), { timeout: 5000, interval: 20 })
    expect(told[0]).toMatchObject({ cause: 'config-restored', server: 'linear', title: 'Put back MCP Tray servers in Claude Desktop', action: { kind: 'restart-client' } })
    const restored = JSON.parse(await readFile(file, 'utf8')) as { mcpServers: Record<string, { args: string[] }>; preferences: unknown }
    expect(restored.mcpServers.linear?.args).toEqual([testLaunch.cliScript, 'proxy', 'linear'])
    expect(restored.preferences).toEqual({ sidebarMode: 'chat' })
  })

  it('leaves a client alone until it holds an entry of ours, then guards it', async () => {
    const { file, configs, told } = await start(false)
    // Nothing of ours in Claude Desktop's file: its folder is not even created to watch it.
    expect(existsSync(join(file, '..'))).toBe(false)

    const change = await configs.install('claude-desktop', 'linear')
    await notifications!.clientsChanged('linear', [{ client: change.client, restartNeeded: true }])
    expect(told).toEqual([expect.objectContaining({ cause: 'restart-client', server: 'linear' })])
    await writeFile(file, '{"mcpServers": {}}\n')
    await vi.waitFor(() => expect(told.map((n) => n.cause)).toEqual(['restart-client', 'config-restored']), { timeout: 5000, interval: 20 })
  })

  it('publishes every notification to the dashboards, and guards a client as soon as the servers show it holds one of ours', async () => {
    const { file, configs } = await start(false)
    const bus = new DashboardEventBus()
    const published: DashboardEvent[] = []
    bus.onEvent(({ event }) => published.push(event))
    await notifications!.close()
    notifications = new HubNotifications({ status: board!, configs: () => configs, guardDebounceMs: 50, events: bus })
    await configs.install('claude-desktop', 'linear')
    // As the dashboard service pushes it after a connect: the server, now in Claude Desktop's file.
    bus.publish({ type: 'servers', servers: [{ server: 'linear', state: 'idle', proxies: 0, requests: 0, errors: 0, url: 'https://linear.example.com/mcp', options: {}, signIn: { state: 'signed-in' }, clients: ['claude-desktop'], recentLatencyMs: [] }] })
    expect(notifications.guarded()).toEqual([])
    await vi.waitFor(() => expect(notifications!.guarded()).toEqual(['claude-desktop']), { timeout: 5000, interval: 20 })
    await notifications.guardClients()
    await writeFile(file, '{"mcpServers": {}}\n')
    await vi.waitFor(() => expect(published.filter((event) => event.type === 'notification')).toHaveLength(1), { timeout: 5000, interval: 20 })
    expect(published.at(-1)).toMatchObject({ type: 'notification', notification: { cause: 'config-restored', server: 'linear' } })
    bus.close()
  })

  it('stops watching when closed', async () => {
    const { file, told } = await start(true)
    await notifications!.close()
    await writeFile(file, '{"mcpServers": {}}\n')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(told).toEqual([])
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: {} })
  })
})
