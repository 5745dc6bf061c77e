import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readAllFiles } from '../core/oauth/engine-harness'
import { openUserHome, type UserHome } from '../support/user-home'

/**
 * A server reached with a key in a header (as `mcp-remote --header` users have): the value is
 * stored encrypted, handed to the proxy by the hub, and sent with every request.
 */
describe('a server with extra headers', () => {
  let user: UserHome

  beforeAll(async () => {
    user = await openUserHome({ server: { authRequired: false }, name: 'keyed', add: ['--header', 'X-Api-Key: key-value-4711'] })
  })
  afterAll(() => user.close())

  it('sends them with every request through the proxy, and keeps the value out of every file', async () => {
    const { client, transport } = user.proxy()
    await client.connect(transport)
    try {
      expect(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).toMatchObject({ content: [{ type: 'text', text: 'hi' }] })
    } finally {
      await client.close()
    }
    const posts = user.server.knobs.requests.filter((r) => r.httpMethod === 'POST')
    expect(posts.length).toBeGreaterThanOrEqual(3)
    for (const request of posts) expect(request.extraHeaders).toMatchObject({ 'x-api-key': 'key-value-4711' })
    const files = await readAllFiles(user.home)
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([expect.stringMatching(/vault\.json$/), expect.stringMatching(/registry\.json$/)]))
    for (const file of files) expect(file.content.includes('key-value-4711'), `${file.path} holds the key`).toBe(false)
  }, 30_000)
})
