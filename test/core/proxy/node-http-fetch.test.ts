import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNodeHttpFetch } from '../../../src/core/proxy/node-http-fetch'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server'

/** A loopback server answering every request with `handler`; resolves to its base URL. */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe('createNodeHttpFetch', () => {
  let fixture: RemoteServer
  const nodeFetch = createNodeHttpFetch()
  beforeAll(async () => {
    fixture = await startRemoteServer({ authRequired: false })
  })
  afterAll(async () => {
    nodeFetch.close()
    await fixture.close()
  })

  it('carries the SDK’s Streamable HTTP transport: JSON and SSE answers, sessions, notifications, DELETE', async () => {
    const client = new Client({ name: 'node-http-fetch-test', version: '1.0.0' })
    const transport = new StreamableHTTPClientTransport(new URL(fixture.mcpUrl), { fetch: nodeFetch })
    await client.connect(transport)
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo')
    expect(await client.callTool({ name: 'echo', arguments: { text: 'über' } })).toMatchObject({ content: [{ type: 'text', text: 'über' }] })
    expect(transport.sessionId).toBeDefined()
    await transport.terminateSession()
    await client.close()
    expect(fixture.knobs.requests.map((r) => r.httpMethod)).toEqual(expect.arrayContaining(['POST', 'GET', 'DELETE']))
  })

  it('fails as fetch does: TypeError with the socket error as its cause, AbortError when aborted', async () => {
    const { url, server } = await listen(() => {})
    server.close()
    await new Promise((resolve) => server.once('close', resolve))
    const refused = await nodeFetch(url).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(TypeError)
    expect((refused as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' })

    const streaming = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: first\n\n')
    })
    try {
      const controller = new AbortController()
      const response = await nodeFetch(streaming.url, { signal: controller.signal })
      const reader = response.body!.getReader()
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n')
      controller.abort()
      await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' })
      await expect(nodeFetch(streaming.url, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    } finally {
      streaming.server.closeAllConnections()
      streaming.server.close()
    }
  })

  it('waits on one signal with many requests in flight without a listener each (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    const { url, server } = await listen((_req, res) => setTimeout(() => res.end('ok'), 50))
    try {
      const controller = new AbortController()
      const answers = await Promise.all(Array.from({ length: 32 }, async () => (await nodeFetch(url, { signal: controller.signal })).text()))
      expect(answers).toEqual(Array.from({ length: 32 }, () => 'ok'))
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
    } finally {
      process.off('warning', onWarning)
      server.closeAllConnections()
      server.close()
    }
  })

  it('returns a redirect unfollowed, never sending the request again, and reads an empty 202', async () => {
    const posts: string[] = []
    const { url, server } = await listen((req, res) => {
      posts.push(req.url ?? '')
      if (req.url === '/accepted') res.writeHead(202).end()
      else res.writeHead(303, { location: 'http://elsewhere.example/' }).end()
    })
    const followed: string[] = []
    const withFallback = createNodeHttpFetch({ fallback: async (input) => (followed.push(String(input)), new Response('from the fallback')) })
    try {
      const moved = await withFallback(`${url}/moved`, { method: 'POST', body: '{}' })
      expect([moved.status, moved.headers.get('location')]).toEqual([303, 'http://elsewhere.example/'])
      const accepted = await withFallback(`${url}/accepted`, { method: 'POST', body: '{}' })
      expect([accepted.status, await accepted.text()]).toEqual([202, ''])
      expect(posts).toEqual(['/moved', '/accepted'])
      expect(followed).toEqual([])
    } finally {
      withFallback.close()
      server.close()
    }
  })
})
