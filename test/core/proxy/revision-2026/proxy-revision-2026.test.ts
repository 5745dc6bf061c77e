import { rmSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMcpHandler, inputRequired, inputResponse, McpServer, type McpHttpHandler } from '@modelcontextprotocol/server'
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectThroughProxy, tempHome, type ProxyClient } from '../spawn-proxy'

/**
 * A server of the stateless revision 2026-07-28 only (the SDK v2's, `legacy: 'reject'`), reached
 * through the built proxy by the SDK v1 client of 2025-11-25: elicitation and sampling asked as
 * `input_required` results reach the client as the requests it knows, and the answers go back;
 * what the server publishes on `subscriptions/listen` reaches the client as notifications.
 * The server is stateless: what its tools change lives here, outside the instance of each request.
 */
const state = { unlocked: false }
let handler: McpHttpHandler

function modernServer(): McpServer {
  const server = new McpServer(
    { name: 'revision-2026-fixture', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true }, resources: { subscribe: true } } },
  )
  server.registerTool('unlock', { description: 'Adds the tool "extra"' }, async () => {
    state.unlocked = true
    handler.notify.toolsChanged()
    return { content: [{ type: 'text', text: 'unlocked' }] }
  })
  if (state.unlocked) server.registerTool('extra', { description: 'There once unlocked' }, async () => ({ content: [{ type: 'text', text: 'extra' }] }))
  server.registerResource('note', 'note://1', { mimeType: 'text/plain' }, async () => ({ contents: [{ uri: 'note://1', text: 'a note' }] }))
  server.registerTool('touch', { description: 'Updates note://1' }, async () => {
    handler.notify.resourceUpdated('note://1')
    return { content: [{ type: 'text', text: 'touched' }] }
  })
  server.registerTool('confirm', { description: 'Asks the person to confirm' }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm')
    if (answer.kind !== 'elicit') {
      return inputRequired({
        inputRequests: { confirm: { method: 'elicitation/create', params: { message: 'Go on?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } } } },
        requestState: 'state-1',
      })
    }
    return { content: [{ type: 'text', text: `confirmed ${JSON.stringify(answer)}` }] }
  })
  server.registerTool('summarise', { description: 'Asks the client to sample' }, async (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'sample')
    if (answer.kind !== 'sampling') {
      return inputRequired({
        inputRequests: { sample: { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'Summarise' } }], maxTokens: 10 } } },
      })
    }
    return { content: [{ type: 'text', text: `sampled ${JSON.stringify(answer)}` }] }
  })
  return server
}

let http: HttpServer
let url: string
let proxy: ProxyClient
const home = tempHome()

beforeAll(async () => {
  handler = createMcpHandler(() => modernServer(), { legacy: 'reject' })
  http = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : [])),
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      })
      void handler.fetch(request).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers))
        if (response.body) for await (const chunk of response.body) res.write(chunk)
        res.end()
      })
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`
  proxy = await connectThroughProxy(url, { home })
  proxy.client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { ok: true } }))
  proxy.client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', model: 'test', content: { type: 'text', text: 'short' } }))
}, 30_000)

afterAll(async () => {
  await proxy?.client.close()
  await handler?.close()
  http?.closeAllConnections()
  await new Promise<void>((resolve) => http?.close(() => resolve()))
  rmSync(home, { recursive: true, force: true })
})

describe('a 2025-11-25 client through the proxy to a 2026-07-28 server', () => {
  it('initializes from server/discover and lists the tools', async () => {
    expect(proxy.client.getServerVersion()?.name).toBe('revision-2026-fixture')
    const { tools } = await proxy.client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(['confirm', 'summarise', 'touch', 'unlock'])
    expect(proxy.stderr()).toContain('2026-07-28')
  })

  it('turns an input_required elicitation into elicitation/create and returns the final result', async () => {
    const result = await proxy.client.callTool({ name: 'confirm', arguments: {} })
    expect(JSON.stringify(result.content)).toContain('confirmed')
  })

  it('turns an input_required sampling into sampling/createMessage', async () => {
    const result = await proxy.client.callTool({ name: 'summarise', arguments: {} })
    expect(JSON.stringify(result.content)).toContain('sampled')
  })

  it('relays a tools/list_changed the server publishes on subscriptions/listen', async () => {
    const changed = new Promise<void>((resolve) => proxy.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()))
    await proxy.client.callTool({ name: 'unlock', arguments: {} })
    await within(changed, 5_000, 'notifications/tools/list_changed')
    const { tools } = await proxy.client.listTools()
    expect(tools.map((tool) => tool.name)).toContain('extra')
  })

  it('relays resources/updated for a resource the client subscribed to', async () => {
    await proxy.client.subscribeResource({ uri: 'note://1' })
    const updated = new Promise<string>((resolve) => proxy.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (note) => resolve(note.params.uri)))
    await proxy.client.callTool({ name: 'touch', arguments: {} })
    expect(await within(updated, 5_000, 'notifications/resources/updated')).toBe('note://1')
  })
})

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
