import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { startRemoteServer } from '../../fixtures/remote-server/index'
import { connectThroughProxy, useFixtureServer } from './spawn-proxy'

/** Polls `check` until it holds, or fails after `ms`. */
async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`still not so after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * The GET stream carries what the server sends on its own (here `notifications/tools/list_changed`
 * from the `notify` tool). The SDK's client transport stops reconnecting it after two failed tries.
 */
describe('mcp-tray proxy keeping the server’s event stream open', () => {
  const fixture = useFixtureServer()

  it('reopens it, resuming with Last-Event-ID, after an outage longer than the SDK retries', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    let changes = 0
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1
    })
    const { knobs } = fixture.server
    try {
      await eventually(() => knobs.getStreams.size === 1)
      await client.callTool({ name: 'notify', arguments: { message: 'before' } })
      await eventually(() => changes === 1)

      // The stream drops and the next three attempts fail: one more than the SDK would make.
      knobs.failNext(3, 500)
      const cutAt = Date.now()
      expect(knobs.cutGetStreams()).toBe(1)
      await eventually(() => knobs.failuresLeft === 0 && knobs.getStreams.size === 1, 20_000)
      const reopenedMs = Date.now() - cutAt
      const reopened = knobs.requests.findLast((r) => r.httpMethod === 'GET')
      expect(reopened?.lastEventId).toEqual(expect.any(String))
      expect(knobs.requests.filter((r) => r.httpMethod === 'GET' && r.at >= cutAt)).toHaveLength(4)

      await client.callTool({ name: 'notify', arguments: { message: 'after' } })
      await eventually(() => changes === 2)
      expect(reopenedMs).toBeLessThan(15_000)
    } finally {
      await client.close()
    }
  }, 40_000)

  it('keeps reopening the stream of a session recovered during a call, after that call was answered', async () => {
    const { client } = await connectThroughProxy(fixture.server.mcpUrl)
    const { knobs } = fixture.server
    try {
      await eventually(() => knobs.getStreams.size === 1)
      expect(await knobs.expireSessions()).toBe(1)
      // The call finds the session gone: the proxy starts a new one, and its stream, on the call's behalf.
      expect(await client.callTool({ name: 'echo', arguments: { text: 'recovered' } })).toMatchObject({ content: [{ text: 'recovered' }] })
      await eventually(() => knobs.getStreams.size === 1)
      const cutAt = Date.now()
      expect(knobs.cutGetStreams()).toBe(1)
      await eventually(() => knobs.getStreams.size === 1 && knobs.requests.some((r) => r.httpMethod === 'GET' && r.at > cutAt), 15_000)
    } finally {
      await client.close()
    }
  }, 30_000)

  it('takes a 404 to its first GET on a new session as no stream offered, not as the session gone', async () => {
    const server = await startRemoteServer({ authRequired: false })
    server.knobs.getStreamStatus = 404
    const { client } = await connectThroughProxy(server.mcpUrl)
    try {
      expect(await client.callTool({ name: 'echo', arguments: { text: 'no stream' } })).toMatchObject({ content: [{ text: 'no stream' }] })
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      expect(server.knobs.requests.filter((r) => r.rpcMethod === 'initialize')).toHaveLength(1)
      expect(server.knobs.requests.filter((r) => r.httpMethod === 'GET')).toHaveLength(1)
    } finally {
      await client.close()
      await server.close()
    }
  })

  it('reopens it on a new session after the server restarted, however long it was down', async () => {
    let server = await startRemoteServer({ authRequired: false })
    const port = Number(new URL(server.mcpUrl).port)
    const { client, stderr } = await connectThroughProxy(server.mcpUrl)
    let changes = 0
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1
    })
    try {
      await eventually(() => server.knobs.getStreams.size === 1)
      await server.close()
      // Longer than the SDK's reconnection: two tries, each retrying the refused connection for up to 3 s.
      await new Promise((resolve) => setTimeout(resolve, 10_000))
      server = await startRemoteServer({ port, authRequired: false })
      // Nothing asked of the proxy: on its own it finds the session gone, starts a new one and its stream.
      await eventually(() => server.knobs.getStreams.size === 1, 30_000)
      expect(server.knobs.requests.filter((r) => r.rpcMethod === 'initialize')).toHaveLength(1)
      expect(server.knobs.requests.find((r) => r.httpMethod === 'GET')?.status).toBe(404)

      await client.callTool({ name: 'notify', arguments: { message: 'after the restart' } })
      await eventually(() => changes === 1)
      expect(stderr()).toMatch(/event stream dropped \(the server closed it\); reconnecting/)
      expect(stderr()).toMatch(/The server forgot session [-\w]+; started [-\w]+/)
    } finally {
      await client.close()
      await server.close()
    }
  }, 60_000)
})
