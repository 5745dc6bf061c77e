import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { safeStorage, shell } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import type { TrayHub } from '../../src/core/hub/tray-hub'
import { overallState } from '../../src/core/hub/overall-state'
import { startAppHub } from '../../src/main/app-hub'
import { appLoginItem } from '../../src/main/login-item'
import { electronMock } from '../mocks/electron'
import { startRemoteServer, type RemoteServer } from '../fixtures/remote-server'
import { followSignIn } from '../fixtures/remote-server/sign-in'

const cliScript = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')
const run = promisify(execFile)

/** The app's hub (electron mocked at the glue boundary), with the real CLI, proxy and servers around it. */
describe('the hub the app runs', () => {
  let home: string
  let env: Record<string, string>
  let hub: TrayHub | undefined
  let server: RemoteServer | undefined

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-app-'))
    env = { ...getDefaultEnvironment(), MCP_TRAY_HOME: home }
  })
  afterEach(async () => {
    vi.restoreAllMocks()
    await hub?.close()
    await server?.close()
    hub = server = undefined
    await rm(home, { recursive: true, force: true })
  })

  it.runIf(process.platform === 'linux')('says when tokens are sealed without a keyring, and keeps Start at login in the settings through the login item', async () => {
    electronMock.reset()
    vi.spyOn(safeStorage, 'getSelectedStorageBackend').mockReturnValue('basic_text')
    hub = await startAppHub(home, { loginItem: appLoginItem('darwin') })
    expect((await hub.api.getAppInfo()).secretStorage).toEqual({ label: expect.stringMatching(/basic_text/), weak: true })
    expect(await hub.api.getSettings()).toMatchObject({ startAtLogin: false })
    expect(await hub.api.updateSettings({ startAtLogin: true })).toMatchObject({ startAtLogin: true })
    expect(electronMock.loginItemCalls).toEqual([{ openAtLogin: true }])
    expect(hub.notifications.guarded()).toEqual([])
  })

  it('takes over from a headless hub a proxy started, which stops', async () => {
    const headless = spawn(process.execPath, [cliScript, 'serve', '--quiet', '--no-dashboard'], { env, stdio: 'ignore' })
    const exited = new Promise<number | null>((resolve) => headless.once('exit', resolve))
    for (let i = 0; i < 100 && !(await connectToHub(hubAddressFor(home), 'cli').then((c) => (c.close(), true), () => false)); i++) await sleep(50)

    hub = await startAppHub(home)
    expect(await exited).toBe(0)
    const connection = await connectToHub(hubAddressFor(home), 'cli')
    try {
      expect(connection.hubPid).toBe(process.pid)
      expect(await connection.call('appInfo')).toMatchObject({ shell: 'electron' })
    } finally {
      connection.close()
    }
  })

  it('signs a proxy in through the default browser, keeps the tokens sealed, and shows the server connected', async () => {
    server = await startRemoteServer()
    await run(process.execPath, [cliScript, 'add', server.mcpUrl, '--name', 'fixture'], { env })
    const opened: string[] = []
    vi.spyOn(shell, 'openExternal').mockImplementation(async (url) => {
      opened.push(url)
      void followSignIn(url)
    })
    hub = await startAppHub(home)
    expect(overallState(hub.status.list())).toBe('idle')

    const transport = new StdioClientTransport({ command: process.execPath, args: [cliScript, 'proxy', 'fixture'], env, stderr: 'pipe' })
    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' })
    await client.connect(transport)
    try {
      expect((await client.callTool({ name: 'whoami', arguments: {} })).structuredContent).toMatchObject({ subject: 'alice' })
      expect(opened).toHaveLength(1)
      expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
      await vi.waitFor(() => expect(hub!.status.list()).toEqual([expect.objectContaining({ server: 'fixture', state: 'connected', proxies: 1 })]), { timeout: 10_000 })
      expect(overallState(hub.status.list())).toBe('connected')
    } finally {
      await client.close()
    }
    const vault = JSON.parse(await readFile(join(home, 'vault.json'), 'utf8')) as Record<string, string>
    expect(Object.keys(vault)).toContain('server:fixture')
    // Sealed by the keychain (the mock's is a byte reversal): no entry reads as the plain record.
    for (const sealed of Object.values(vault)) expect(Buffer.from(sealed, 'base64').toString('utf8')).not.toMatch(/accessToken|refreshToken/)

    // `mcp-tray status` cannot open what the keychain sealed; the app's hub reads it for the command.
    const { stdout, stderr } = await run(process.execPath, [cliScript, 'status'], { env })
    expect(stdout).toMatch(/^fixture\tsigned-in\texpires in \d+ min; scopes: [^\t]*mcp:tools/m)
    expect(stderr).not.toContain('Tokens are encrypted with')
  }, 30_000)
})
