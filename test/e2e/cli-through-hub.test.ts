import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import { serverKey } from '../../src/core/oauth/server-auth-record'
import { openConfStore } from '../../src/core/registry/registry-store'
import { ServerRegistry } from '../../src/core/registry/server-registry'
import { AesGcmFileCipher } from '../../src/core/vault/aes-gcm-file-cipher'
import { Vault } from '../../src/core/vault/vault'
import type { ServerStatus } from '../../src/shared/dashboard-api'
import { followSignIn } from '../fixtures/remote-server/sign-in'
import { runProcess, type ProcessOutcome } from '../support/run-process'
import { cliScript, openUserHome, type UserHome } from '../support/user-home'

/**
 * A person's MCP Tray with its hub running (`mcp-tray serve`, started with the browser that signs
 * in), and `mcp-tray login` / `logout` typed in a terminal whose BROWSER only leaves a mark: the
 * sign-in can only succeed if the hub runs it.
 */
interface HubbedHome {
  readonly user: UserHome
  readonly hub: ChildProcess
  /** Left by the terminal's BROWSER: the command tried to sign in by itself. */
  readonly marker: string
  /** Runs the built `mcp-tray` in the terminal, to its end. */
  run(...args: string[]): Promise<ProcessOutcome>
  /** Starts it, for a test that watches or interrupts it. */
  start(...args: string[]): Started
}

async function hubbedHome(options: { hubBrowser?: string } = {}): Promise<HubbedHome> {
  const user = await openUserHome()
  // Were the command to sign in itself, it would give up after 20 s instead of 5 min.
  new ServerRegistry(openConfStore(user.home)).updateSettings({ signInTimeoutMs: 20_000 })
  const hubEnv = { ...user.env, ...(options.hubBrowser === undefined ? {} : { BROWSER: options.hubBrowser }) }
  const hub = spawn(process.execPath, [cliScript, 'serve', '--quiet', '--no-dashboard'], { env: hubEnv, stdio: 'ignore' })
  try {
    await vi.waitFor(async () => (await connectToHub(hubAddressFor(user.home), 'cli')).close(), { timeout: 10_000, interval: 100 })
  } catch (error) {
    hub.kill('SIGTERM')
    await user.close()
    throw error
  }
  const marker = join(user.home, 'the-terminal-opened-a-browser')
  const env = { ...user.env, BROWSER: `touch ${JSON.stringify(marker)} #` }
  return { user, hub, marker, run: (...args) => runProcess(process.execPath, [cliScript, ...args], env), start: (...args) => started(spawn(process.execPath, [cliScript, ...args], { env })) }
}

/** A command started in the terminal, with what it printed so far. */
interface Started {
  readonly child: ChildProcess
  readonly exited: Promise<number | null>
  stdout(): string
  stderr(): string
}

function started(child: ChildProcess): Started {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, exited, stdout: () => stdout, stderr: () => stderr }
}

/** The address a login shows to sign in at, for when no browser opens. */
function addressShownBy(login: Started): Promise<string> {
  return vi.waitFor(
    () => {
      const shown = /If no browser opens, visit:\n(http\S+)\n/.exec(login.stderr())?.[1]
      if (!shown) throw new Error('no address shown yet')
      return shown
    },
    { timeout: 10_000, interval: 50 },
  )
}

async function liveStatus(home: string, server: string): Promise<ServerStatus | undefined> {
  const hub = await connectToHub(hubAddressFor(home), 'cli')
  try {
    return (await hub.call<{ servers: ServerStatus[] }>('status')).servers.find((s) => s.server === server)
  } finally {
    hub.close()
  }
}

async function closeHome(home: HubbedHome | undefined): Promise<void> {
  if (!home) return
  const { hub } = home
  if (hub.exitCode === null && hub.signalCode === null) {
    const exited = new Promise((resolve) => hub.once('exit', resolve))
    hub.kill('SIGTERM')
    await exited
  }
  await home.user.close()
}

describe('mcp-tray login and logout while the hub runs', () => {
  let home: HubbedHome
  let client: Client | undefined

  beforeAll(async () => {
    home = await hubbedHome()
  })
  afterAll(async () => {
    await client?.close()
    await closeHome(home)
  })

  it('signs in through the hub: one authorization code, the hub’s status hears of it, and a proxy needs no sign-in of its own', async () => {
    const { user, run, marker } = home
    const login = await run('login', 'fixture')
    expect(login).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Signed in to fixture \(expires in \d+ min; scopes: [^)]*mcp:tools[^)]*\)\.\n$/) })
    // The hub's progress follows (a line about a moved callback port, too, when 3334 is taken).
    expect(login.stderr).toMatch(/^MCP Tray opens the browser to sign in to fixture; waiting up to 50 s for it to finish \(Ctrl\+C stops waiting\)\.\n/)
    expect(login.stderr).toMatch(/\nOpening the browser to sign in to fixture at http:\/\/127\.0\.0\.1:\d+\. If no browser opens, visit:\nhttp:\/\/127\.0\.0\.1:\d+\/\S+\nSigned in to fixture\.\n$/)
    expect(existsSync(marker)).toBe(false)
    expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
    expect(await liveStatus(user.home, 'fixture')).toMatchObject({ state: 'idle' })

    const proxy = user.proxy()
    client = proxy.client
    await client.connect(proxy.transport)
    expect((await client.callTool({ name: 'whoami', arguments: {} })).structuredContent).toMatchObject({ subject: 'alice' })
    expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
    expect(user.server.knobs.requests.filter((r) => r.path === '/mcp' && r.status === 401)).toEqual([])
    // The proxy's log events reach the hub in batches: these are in before the sign-out below.
    await vi.waitFor(async () => expect((await liveStatus(user.home, 'fixture'))?.requests).toBeGreaterThanOrEqual(1), { timeout: 5_000, interval: 100 })
    expect(await liveStatus(user.home, 'fixture')).toMatchObject({ state: 'connected', proxies: 1, errors: 0 })
  }, 60_000)

  it('signs out through the hub: the status shows sign-in needed at once, the proxy is told so, and the vault forgets the tokens', async () => {
    const { user, run } = home
    const logout = await run('logout', 'fixture')
    expect(logout).toEqual({ code: 0, stdout: 'Signed out of fixture (the server revoked the tokens).\n', stderr: '' })
    // Only the hub's sign-out tells its status board; the command's own would not.
    expect(await liveStatus(user.home, 'fixture')).toMatchObject({ state: 'sign-in-needed', lastError: expect.stringContaining('Signed out of fixture') })
    expect(await new Vault(user.home, await AesGcmFileCipher.open(user.home)).get(serverKey('fixture'))).toBeUndefined()

    const error = await client!.callTool({ name: 'echo', arguments: { text: 'after logout' } }).catch((e: unknown) => e)
    expect(String(error)).toContain('Sign-in needed for fixture')
    // Still so once the proxy's events about the refused call are in.
    await vi.waitFor(async () => expect((await liveStatus(user.home, 'fixture'))?.errors).toBeGreaterThanOrEqual(1), { timeout: 5_000, interval: 100 })
    expect(await liveStatus(user.home, 'fixture')).toMatchObject({ state: 'sign-in-needed' })
    expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
    expect((await run('status')).stdout).toMatch(/^fixture\tsigned-out\tlive: sign-in-needed/m)
  }, 60_000)

  it('names an unknown server and points to `mcp-tray list`, in the command and through the hub', async () => {
    const { user, run } = home
    for (const command of ['login', 'logout']) {
      const result = await run(command, 'no-such-server')
      expect(result).toMatchObject({ code: 1, stdout: '' })
      expect(result.stderr).toBe('mcp-tray: No server named "no-such-server". Run `mcp-tray list` to see the names, or `mcp-tray add <url>` to add it.\n')
    }
    const hub = await connectToHub(hubAddressFor(user.home), 'cli')
    try {
      await expect(hub.call('signIn', { server: 'no-such-server' })).rejects.toMatchObject({
        code: 'server_not_found',
        message: 'No server named "no-such-server".',
        hint: expect.stringContaining('mcp-tray list'),
      })
      expect((await hub.call<{ servers: ServerStatus[] }>('status')).servers.map((s) => s.server)).toEqual(['fixture'])
    } finally {
      hub.close()
    }
  }, 30_000)
})

describe('mcp-tray login while a proxy signs in for the first time', () => {
  let home: HubbedHome | undefined
  afterAll(() => closeHome(home))

  it('costs one authorization code for both', async () => {
    home = await hubbedHome()
    const { user, run, marker } = home
    const { client, transport } = user.proxy()
    try {
      const [login, who] = await Promise.all([
        run('login', 'fixture'),
        client.connect(transport).then(() => client.callTool({ name: 'whoami', arguments: {} })),
      ])
      expect(login).toMatchObject({ code: 0, stdout: expect.stringContaining('Signed in to fixture') })
      expect(who.structuredContent).toMatchObject({ subject: 'alice' })
      expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
      expect(existsSync(marker)).toBe(false)
      expect((await liveStatus(user.home, 'fixture'))?.state).not.toBe('sign-in-needed')
    } finally {
      await client.close()
    }
  }, 60_000)
})

describe('mcp-tray login while the hub cannot open a browser (a machine reached over SSH)', () => {
  let home: HubbedHome | undefined
  afterAll(() => closeHome(home))

  it('shows where to sign in, and finishes once the person has signed in there', async () => {
    home = await hubbedHome({ hubBrowser: 'true' })
    const { user, start, marker } = home
    const login = start('login', 'fixture')
    expect((await followSignIn(await addressShownBy(login))).status).toBe(200)
    expect(await login.exited).toBe(0)
    expect(login.stdout()).toMatch(/^Signed in to fixture \(expires in/)
    expect(existsSync(marker)).toBe(false)
    expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
  }, 30_000)
})

describe('mcp-tray login joining the sign-in a proxy started, on a machine without a browser', () => {
  let home: HubbedHome | undefined
  afterAll(() => closeHome(home))

  it('shows where to sign in all the same, and both finish with one authorization code', async () => {
    // The hub's "browser" only leaves a mark: once it is there, the address was told before the login asked.
    const hubOpened = join(tmpdir(), `mcp-tray-hub-browser-${process.pid}-${Date.now()}`)
    home = await hubbedHome({ hubBrowser: `touch ${JSON.stringify(hubOpened)} #` })
    const { user, start } = home
    const { client, transport } = user.proxy()
    try {
      const who = client.connect(transport).then(() => client.callTool({ name: 'whoami', arguments: {} }))
      await vi.waitFor(() => expect(existsSync(hubOpened)).toBe(true), { timeout: 10_000, interval: 50 })
      const login = start('login', 'fixture')
      expect((await followSignIn(await addressShownBy(login))).status).toBe(200)
      expect(await login.exited).toBe(0)
      expect((await who).structuredContent).toMatchObject({ subject: 'alice' })
      expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
    } finally {
      await client.close()
      await rm(hubOpened, { force: true })
    }
  }, 40_000)
})

describe('mcp-tray login while the hub waits for a browser nobody uses', () => {
  let home: HubbedHome | undefined
  afterAll(() => closeHome(home))

  it('says how long it waits, and stops waiting on Ctrl+C while the hub’s sign-in goes on', async () => {
    home = await hubbedHome({ hubBrowser: 'true' })
    const { user, start, marker } = home
    const login = start('login', 'fixture')
    await vi.waitFor(() => expect(login.stderr()).toContain('Ctrl+C stops waiting'), { timeout: 10_000, interval: 50 })
    await vi.waitFor(async () => expect(await liveStatus(user.home, 'fixture')).toMatchObject({ state: 'signing-in' }), { timeout: 10_000, interval: 100 })
    login.child.kill('SIGINT')
    expect(await login.exited).toBe(1)
    expect(login.stderr()).toContain('mcp-tray: Stopped waiting for the sign-in to fixture. MCP Tray keeps the sign-in open')
    expect(existsSync(marker)).toBe(false)
    expect(await liveStatus(user.home, 'fixture')).toMatchObject({ state: 'signing-in' })
    expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(0)
  }, 30_000)
})

describe('mcp-tray login while a hub runs but does not answer', () => {
  let user: UserHome | undefined
  let wedged: Server | undefined
  afterAll(async () => {
    await new Promise((resolve) => wedged?.close(resolve) ?? resolve(undefined))
    await user?.close()
  })

  it('says so instead of signing in beside it', async () => {
    user = await openUserHome()
    const address = hubAddressFor(user.home)
    await writeFile(address.secretPath, 'the-hub-secret', { mode: 0o600 })
    // Takes connections and never answers hello, as a hub whose main thread waits on a keychain prompt.
    const accepted: Socket[] = []
    wedged = createServer((socket) => void accepted.push(socket))
    await new Promise<void>((resolve) => wedged!.listen(address.socketPath, resolve))
    const marker = join(user.home, 'the-terminal-opened-a-browser')
    const result = await runProcess(process.execPath, [cliScript, 'login', 'fixture'], { ...user.env, BROWSER: `touch ${JSON.stringify(marker)} #` })
    for (const socket of accepted) socket.destroy()
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('MCP Tray is running but did not answer within 2 s.')
    expect(existsSync(marker)).toBe(false)
    expect(user.server.knobs.tokenRequests('authorization_code')).toHaveLength(0)

    // `status` still answers, from what it can read itself, and says the hub is there but silent.
    const status = await runProcess(process.execPath, [cliScript, 'status'], user.env)
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/^fixture\tsigned-out/m)
    expect(status.stderr).toContain('MCP Tray runs but gave no status: MCP Tray did not answer hello')
    for (const socket of accepted) socket.destroy()
  }, 30_000)
})
