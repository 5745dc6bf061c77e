import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RemoteServer } from '../fixtures/remote-server'
import { openUserHome, type UserHome } from '../support/user-home'

/**
 * A tool that needs more access than the first sign-in granted: the server answers 403
 * `insufficient_scope`, the hub signs in again for the union of scopes, the proxy replays the call.
 */
describe('a proxy stepping up its scopes through the hub', () => {
  let user: UserHome
  let server: RemoteServer

  beforeAll(async () => {
    user = await openUserHome()
    server = user.server
  })
  afterAll(() => user.close())

  async function connected(): Promise<Client> {
    const { client, transport } = user.proxy()
    await client.connect(transport)
    return client
  }

  it('signs in once more with the challenged scope, once for two proxies refused together, and replays each refused call once', async () => {
    const [a, b] = await Promise.all([connected(), connected()])
    try {
      const before = await a.callTool({ name: 'whoami', arguments: {} })
      expect(before.structuredContent).toMatchObject({ subject: 'alice' })
      expect((before.structuredContent as { scopes: string[] }).scopes).not.toContain('mcp:admin')
      const signIns = server.knobs.tokenRequests('authorization_code').length
      expect(signIns).toBe(1)

      server.knobs.requireScope('add', 'mcp:admin')
      const [sumA, sumB] = await Promise.all([
        a.callTool({ name: 'add', arguments: { a: 2, b: 3 } }),
        b.callTool({ name: 'add', arguments: { a: 4, b: 5 } }),
      ])
      expect(sumA.structuredContent).toEqual({ sum: 5 })
      expect(sumB.structuredContent).toEqual({ sum: 9 })
      expect(server.knobs.toolCallCount('add')).toBe(2)
      expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(signIns + 1)
      expect(server.knobs.requests.filter((r) => r.status === 403)).toHaveLength(2)

      // The new token carries both scopes: the next calls need no further sign-in.
      const after = await a.callTool({ name: 'whoami', arguments: {} })
      expect((after.structuredContent as { scopes: string[] }).scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']))
      await a.callTool({ name: 'add', arguments: { a: 1, b: 1 } })
      expect(server.knobs.tokenRequests('authorization_code')).toHaveLength(signIns + 1)
      expect(server.knobs.toolCallCount('add')).toBe(3)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  }, 60_000)

  it('says which scope the server wants and how to sign in when the step-up cannot get it, without looping', async () => {
    const client = await connected()
    try {
      server.knobs.requireScope('echo', 'mcp:root')
      const signIns = server.knobs.tokenRequests('authorization_code').length
      const refusalsBefore = server.knobs.requests.filter((r) => r.status === 403).length
      const error = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(String(error)).toMatch(/fixture refused this request: it needs the scope "[^"]*mcp:root[^"]*"/)
      expect(String(error)).toMatch(/mcp-tray login fixture/)
      expect(server.knobs.toolCallCount('echo')).toBe(0)
      // At most one sign-in for the request, and the request was sent at most twice.
      expect(server.knobs.tokenRequests('authorization_code').length - signIns).toBeLessThanOrEqual(1)
      expect(server.knobs.requests.filter((r) => r.status === 403).length - refusalsBefore).toBeLessThanOrEqual(2)
    } finally {
      await client.close()
    }
  }, 60_000)
})
