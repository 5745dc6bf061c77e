import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, it } from 'vitest'
import { connectThroughProxy, useFixtureServer } from './spawn-proxy'

/** Polls `check` until it holds, or fails after `ms`. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`still not so after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('mcp-tray proxy renewing resource subscriptions', () => {
  const fixture = useFixtureServer()

  it('subscribes the new session to what the client still follows after the server forgot the old one, invisibly', async () => {
    const { client, stderr } = await connectThroughProxy(fixture.server.mcpUrl)
    const clientErrors: Error[] = []
    client.onerror = (error) => clientErrors.push(error)
    const updates: string[] = []
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri)
    })
    const { knobs } = fixture.server
    try {
      await client.subscribeResource({ uri: 'fixture://readme' })
      await client.subscribeResource({ uri: 'fixture://dropped' })
      await client.unsubscribeResource({ uri: 'fixture://dropped' })
      // Before: updates arrive once the server's stream to the proxy is up.
      await eventually(async () => (await knobs.updateResource('fixture://readme'), updates.includes('fixture://readme')))

      const expired = await knobs.expireSessions()
      expect(expired).toBeGreaterThanOrEqual(1)
      await client.listTools() // meets the 404; the proxy starts a new session
      const sessions = new Set(knobs.requests.filter((r) => r.rpcMethod === 'resources/subscribe').map((r) => r.sessionId))
      expect(sessions.size).toBe(2)

      updates.length = 0
      await eventually(async () => (await knobs.updateResource('fixture://readme'), updates.includes('fixture://readme')))
      expect(await knobs.updateResource('fixture://dropped')).toBe(0)
      // The renewal was the proxy's own request: its answer never reached the client.
      const renewals = knobs.requests.filter((r) => r.rpcMethod === 'resources/subscribe' && String(r.rpcId).startsWith('mcp-tray-'))
      expect(renewals).toHaveLength(1)
      expect(clientErrors).toEqual([])
      expect(stderr()).toMatch(/started [-\w]+ with the client's initialize and renewed 1 resource subscription\./)
    } finally {
      await client.close()
    }
  })
})
