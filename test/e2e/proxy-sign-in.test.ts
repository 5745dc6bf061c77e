import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import { openUserHome, stopHub, type UserHome } from '../support/user-home'

/**
 * The whole path a Claude Desktop user takes: a server added, two proxies launched at once for it
 * (as Claude Desktop does), one sign-in run by the hub they start, then refresh when the token expires.
 */
describe('proxies signing in through the hub', () => {
  let user: UserHome

  beforeAll(async () => {
    user = await openUserHome({ server: { accessTokenTtlSeconds: 2 } })
  })
  afterAll(() => user.close())

  it('signs in once for two proxies started together, and refreshes an expired token invisibly', async () => {
    const { server } = user
    const a = user.proxy()
    const b = user.proxy()
    await Promise.all([a.client.connect(a.transport), b.client.connect(b.transport)])
    try {
      const [whoA, whoB] = await Promise.all([
        a.client.callTool({ name: 'whoami', arguments: {} }),
        b.client.callTool({ name: 'whoami', arguments: {} }),
      ])
      expect(whoA.structuredContent).toMatchObject({ subject: 'alice' })
      expect(whoB.structuredContent).toMatchObject({ subject: 'alice' })
      expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(1)

      await new Promise((resolve) => setTimeout(resolve, 2_500))
      const echoed = await a.client.callTool({ name: 'echo', arguments: { text: 'still here' } })
      expect(echoed).toMatchObject({ content: [{ type: 'text', text: 'still here' }] })
      expect(server.knobs.tokenRequests('refresh_token').length).toBeGreaterThanOrEqual(1)
      expect(server.knobs.requests.filter((r) => r.path === '/mcp' && !r.hasBearer && r.status !== 401)).toEqual([])
    } finally {
      await Promise.all([a.client.close(), b.client.close()])
    }
  }, 60_000)

  it('answers with a sign-in-needed error, naming the server, when the grant was revoked', async () => {
    const { client, transport } = user.proxy()
    await client.connect(transport)
    try {
      await user.server.knobs.revokeGrants()
      const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: unknown) => e)
      expect(String(error)).toMatch(/fixture/)
      expect(String(error)).toMatch(/sign-in/i)
      expect(String(error)).toMatch(/mcp-tray login fixture|Connect/)
    } finally {
      await client.close()
    }
  }, 60_000)
})

describe('a proxy whose hub goes away', () => {
  let user: UserHome

  beforeAll(async () => {
    user = await openUserHome({ server: { accessTokenTtlSeconds: 2 } })
  })
  afterAll(() => user.close())

  it('keeps relaying with the token it holds, and refreshes through a new hub once that token expires', async () => {
    const { server } = user
    const { client, transport } = user.proxy()
    await client.connect(transport)
    try {
      expect((await client.callTool({ name: 'whoami', arguments: {} })).structuredContent).toMatchObject({ subject: 'alice' })
      const first = await connectToHub(hubAddressFor(user.home), 'cli')
      first.close()
      await stopHub(user.home)
      await vi.waitFor(() => expect(connectToHub(hubAddressFor(user.home), 'cli')).rejects.toMatchObject({ code: 'hub_unavailable' }), { timeout: 5_000 })

      expect(await client.callTool({ name: 'echo', arguments: { text: 'no hub' } })).toMatchObject({ content: [{ text: 'no hub' }] })

      await new Promise((resolve) => setTimeout(resolve, 2_500))
      expect(await client.callTool({ name: 'echo', arguments: { text: 'new hub' } })).toMatchObject({ content: [{ text: 'new hub' }] })
      const second = await connectToHub(hubAddressFor(user.home), 'cli')
      second.close()
      expect(second.hubPid).not.toBe(first.hubPid)
      expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(1)
      expect(server.knobs.tokenRequests('refresh_token').length).toBeGreaterThanOrEqual(1)
    } finally {
      await client.close()
    }
  }, 60_000)
})
