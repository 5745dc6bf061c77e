import { rm } from 'node:fs/promises'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { describe, expect, it, vi } from 'vitest'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectOrStartHub } from '../../src/core/hub/hub-launcher'
import { followSignIn } from '../fixtures/remote-server/sign-in'
import { closedAfterEach } from '../support/closed-after-each'
import { useFixtureServerPair } from '../support/fixture-server-pair'
import { cliScript } from '../support/user-home'
import { addressIn, alive, noBrowser, openTrayHome, type TrayHome } from './tray-home'

/**
 * The background hub's life: it stops by itself once nothing needs it, or when its data folder is
 * gone; `serve` takes over from it; `login` starts one rather than signing in beside it; and a
 * sign-in a proxy started is visible, and survives the proxy.
 */
describe('the background hub', () => {
  const fixture = useFixtureServerPair()
  const { codes } = fixture
  const home = closedAfterEach(openTrayHome)

  /** Starts the hub as a proxy would (`serve --quiet`), with the home's environment. */
  async function startQuietHub(h: TrayHome) {
    return connectOrStartHub(hubAddressFor(h.home), 'cli', { executable: process.execPath, cliScript, env: h.env, insideApp: false })
  }

  /** A client stand-in and the proxy it spawns, as Claude Desktop does, with its stderr. */
  function proxyFor(h: TrayHome, target: string, browser?: string) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliScript, 'proxy', target],
      env: { ...(h.env as Record<string, string>), ...(browser === undefined ? {} : { BROWSER: browser }) },
      stderr: 'pipe',
    })
    let stderr = ''
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    return { client: new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' }), transport, stderr: () => stderr }
  }

  it('stops by itself once no proxy, command or sign-in has needed it for idleStopMinutes', async () => {
    // 1.5 s: short enough for a test, long enough to see the proxy keep it.
    const h = await home({ idleStopMinutes: 0.025 })
    const hub = await startQuietHub(h)
    const pid = hub.hubPid
    // A proxy attached keeps it, well past the idle time.
    const proxy = proxyFor(h, fixture.open.mcpUrl)
    await proxy.client.connect(proxy.transport)
    hub.close()
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(alive(pid)).toBe(true)
    expect((await proxy.client.listTools()).tools.length).toBeGreaterThan(0)
    await proxy.client.close()
    const closedAt = Date.now()
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 10_000, interval: 100 })
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(1_200)
    expect(await h.hubPid()).toBeUndefined()
  }, 30_000)

  it('stops at once when its data folder is deleted, even with a client connected', async () => {
    // Looked at every 0.6 s; the connected client keeps it from stopping for being idle.
    const h = await home({ idleStopMinutes: 0.05 })
    const hub = await startQuietHub(h)
    try {
      await rm(h.home, { recursive: true, force: true })
      await vi.waitFor(() => expect(alive(hub.hubPid)).toBe(false), { timeout: 3_000, interval: 50 })
    } finally {
      hub.close()
    }
  }, 15_000)

  it('gives way to `mcp-tray serve`, which a second serve then leaves alone, and `stop` ends', async () => {
    const h = await home()
    const quiet = await startQuietHub(h)
    quiet.close()
    const serve = h.start(['serve', '--no-dashboard'])
    try {
      await vi.waitFor(() => expect(serve.stdout()).toContain('Press Ctrl+C to stop.'), { timeout: 15_000, interval: 50 })
      expect(serve.stdout()).toMatch(/^MCP Tray already runs in the background \(a proxy started it\); taking over from it\.\nMCP Tray hub is running \(headless\)\./)
      await vi.waitFor(() => expect(alive(quiet.hubPid)).toBe(false), { timeout: 5_000, interval: 50 })
      expect(await h.hubPid()).toBe(serve.child.pid)

      const second = await h.run(['serve', '--no-dashboard'])
      expect(second.code).toBe(1)
      expect(second.stderr).toContain('MCP Tray already runs here, started with `mcp-tray serve` in a terminal. Use that one, or stop it')
      expect(await h.hubPid()).toBe(serve.child.pid)

      expect(await h.run(['stop'])).toMatchObject({ code: 0, stdout: `Stopped MCP Tray (process ${serve.child.pid}).\n` })
      expect(await serve.exited).toBe(0)
      expect(serve.stdout()).toMatch(/Stopped by `mcp-tray stop`\.\n$/)
    } finally {
      serve.child.kill('SIGTERM')
    }
  }, 30_000)

  it('is started by `mcp-tray login` when none runs: two logins at once share one sign-in', async () => {
    const h = await home()
    await h.run(['add', fixture.server.mcpUrl, '--name', 'fixture'])
    const before = codes()
    const [a, b] = await Promise.all([h.run(['login', 'fixture']), h.run(['login', 'fixture'])])
    expect(a).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Signed in to fixture \(expires in/) })
    expect(b).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Signed in to fixture \(expires in/) })
    expect(codes() - before).toBe(1)
    expect(await h.hubPid()).toBeDefined()
  }, 30_000)

  it('shows a proxy’s sign-in on its stderr at once, and finishes it after the proxy was killed: the next proxy needs none', async () => {
    const h = await home()
    await h.run(['add', fixture.server.mcpUrl, '--name', 'fixture'])
    // Signed in once and out again, as a person who ran `logout`.
    const login = h.start(['login', 'fixture'], noBrowser)
    await vi.waitFor(() => expect(addressIn(login.stderr())).toBeDefined(), { timeout: 10_000, interval: 50 })
    expect((await followSignIn(addressIn(login.stderr())!)).status).toBe(200)
    expect(await login.exited).toBe(0)
    expect(await h.run(['logout', 'fixture'])).toMatchObject({ code: 0 })
    const before = codes()

    // The hub already runs with a browser that opens nothing: Claude Desktop starts a proxy.
    const first = proxyFor(h, 'fixture')
    const startedAt = Date.now()
    const connecting = first.client.connect(first.transport).catch((error: unknown) => error)
    await vi.waitFor(() => expect(addressIn(first.stderr())).toBeDefined(), { timeout: 5_000, interval: 20 })
    const shownAfterMs = Date.now() - startedAt
    expect(shownAfterMs).toBeLessThan(3_000)
    const lines = first.stderr().split('\n').filter((line) => line.includes('sign-in needed'))
    expect(lines).toEqual([expect.stringMatching(/^mcp-tray proxy \(fixture\): sign-in needed: finish it in the browser MCP Tray opened, or open http:\/\/127\.0\.0\.1:\d+\/auth\?\S+$/)])
    // `mcp-tray status` shows it too.
    expect((await h.run(['status'])).stdout).toContain(`\tsign-in waiting: open ${addressIn(first.stderr())}\n`)

    // Claude Desktop gives up on it; the person finishes the sign-in afterwards.
    process.kill(first.transport.pid!, 'SIGKILL')
    await connecting
    expect((await followSignIn(addressIn(first.stderr())!)).status).toBe(200)
    await vi.waitFor(async () => expect((await h.run(['status'])).stdout).toMatch(/^fixture\tsigned-in/m), { timeout: 5_000, interval: 100 })

    const second = proxyFor(h, 'fixture')
    await second.client.connect(second.transport)
    try {
      expect((await second.client.callTool({ name: 'whoami', arguments: {} })).structuredContent).toMatchObject({ subject: 'alice' })
    } finally {
      await second.client.close()
    }
    expect(codes() - before).toBe(1)
    expect(second.stderr()).not.toContain('sign-in needed')
  }, 40_000)
})
