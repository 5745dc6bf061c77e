import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerStatus } from '../../src/shared/dashboard-api'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import type { HubEvent } from '../../src/core/hub/hub-protocol'
import type { RemoteServer } from '../fixtures/remote-server'
import { cliScript, openUserHome, type UserHome } from '../support/user-home'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` until it holds, for at most `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()) && Date.now() < deadline; ) await sleep(100)
}

/**
 * The hub's status of a server, as `mcp-tray status` and a dashboard see it, while a proxy started
 * by a client signs in through the hub and later loses its grant.
 */
describe('server status in the hub', () => {
  let user: UserHome
  let server: RemoteServer
  let home: string

  beforeAll(async () => {
    user = await openUserHome()
    ;({ server, home } = user)
  })
  afterAll(() => user.close())

  it('shows the proxies attached, and sign-in needed once the grant is revoked, with the words the client reads', async () => {
    // No hub runs yet: status says what it knows without starting one.
    const offline = await user.cli('status')
    expect(offline.stdout).toMatch(/^fixture\tsigned-out/m)
    expect(offline.stdout).not.toContain('live:')
    await expect(connectToHub(hubAddressFor(home), 'cli')).rejects.toMatchObject({ code: 'hub_unavailable' })

    const { client, transport } = user.proxy()
    await client.connect(transport)
    try {
      // The 401 started the hub, which signed in.
      const hub = await connectToHub(hubAddressFor(home), 'dashboard')
      const pushed: HubEvent[] = []
      hub.onEvent((event) => pushed.push(event))
      await hub.call('subscribe', { topics: ['status'] })
      const statusOf = async () => (await hub.call<{ servers: ServerStatus[] }>('status')).servers.find((s) => s.server === 'fixture')

      await client.callTool({ name: 'echo', arguments: { text: 'hello' } })
      // The proxy found no hub when it started: its logs reach the hub at its next look.
      await until(async () => (await statusOf())?.proxies === 1, 8_000)
      await client.callTool({ name: 'echo', arguments: { text: 'again' } })
      await until(async () => ((await statusOf())?.requests ?? 0) >= 1, 3_000)
      expect(await statusOf()).toMatchObject({ state: 'connected', proxies: 1, errors: 0, lastActivity: expect.any(String) })
      expect((await statusOf())!.requests).toBeGreaterThanOrEqual(1)
      const live = await user.cli('status')
      expect(live.stdout).toMatch(/^fixture\tsigned-in\t.*\tlive: connected, 1 proxy, \d+ requests?, 0 errors/m)

      await server.knobs.revokeGrants()
      const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: unknown) => e)
      expect(String(error)).toContain('Sign-in needed for fixture: open MCP Tray and click Connect.')
      expect(String(error)).toContain('mcp-tray login fixture')

      await until(async () => (await statusOf())?.state === 'sign-in-needed', 3_000)
      const needed = await statusOf()
      expect(needed).toMatchObject({ state: 'sign-in-needed', proxies: 1, lastError: expect.stringMatching(/no longer accepts/) })
      const pushedNeeded = () => pushed.some((e) => e.event === 'status' && (e.data as ServerStatus[]).some((s) => s.server === 'fixture' && s.state === 'sign-in-needed'))
      await until(async () => pushedNeeded(), 2_000)
      expect(pushedNeeded()).toBe(true)
      const json = JSON.parse((await user.cli('status', '--json')).stdout) as { name: string; live?: ServerStatus }[]
      expect(json.find((row) => row.name === 'fixture')?.live).toMatchObject({ state: 'sign-in-needed', proxies: 1 })
      hub.close()
    } finally {
      await client.close()
    }

    // A hub started later knows from the vault that sign-in is needed, before any proxy asks.
    const first = await connectToHub(hubAddressFor(home), 'cli')
    first.close()
    process.kill(first.hubPid, 'SIGTERM')
    await until(async () => (await connectToHub(hubAddressFor(home), 'cli').then((c) => (c.close(), false), () => true)), 5_000)
    spawn(process.execPath, [cliScript, 'serve', '--quiet', '--no-dashboard'], { env: user.env, detached: true, stdio: 'ignore' }).unref()
    let restarted: ServerStatus | undefined
    await until(async () => {
      const hub = await connectToHub(hubAddressFor(home), 'cli').catch(() => undefined)
      restarted = (await hub?.call<{ servers: ServerStatus[] }>('status'))?.servers.find((s) => s.server === 'fixture')
      hub?.close()
      return restarted?.state === 'sign-in-needed'
    }, 10_000)
    expect(restarted).toMatchObject({ state: 'sign-in-needed', proxies: 0, lastError: expect.stringMatching(/no longer accepts/) })
  }, 60_000)
})
