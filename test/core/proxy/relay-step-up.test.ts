import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { LogRing } from '../../../src/core/logs/log-ring'
import { Relay } from '../../../src/core/proxy/relay'
import type { TokenSource } from '../../../src/core/proxy/token-source'
import { initializeLine } from './spawn-proxy'

/** A Streamable HTTP server (no GET stream) whose tools/call needs the `wide` token. */
function scriptedServer() {
  let ran = 0
  const fetch = async (_url: string | URL, init?: RequestInit): Promise<Response> => {
    if (init?.method !== 'POST') return new Response(null, { status: 405 })
    const message = JSON.parse(String(init.body)) as { id?: number; method?: string }
    const json = (body: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } })
    if (message.method === 'initialize') {
      return json({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'scripted', version: '1' } } }, { 'mcp-session-id': 's1' })
    }
    if (message.id === undefined) return new Response(null, { status: 202 })
    if (new Headers(init.headers).get('authorization') !== 'Bearer wide') {
      return new Response(null, { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="mcp:admin"' } })
    }
    ran += 1
    return json({ jsonrpc: '2.0', id: message.id, result: { content: [] } })
  }
  return { fetch, ran: () => ran }
}

describe('Relay while a step-up sign-in waits for the person', () => {
  it('answers in time that the sign-in for the scope was not finished, and never runs the call when it finishes later', async () => {
    const server = scriptedServer()
    let finishSignIn!: (token: string) => void
    const tokens: TokenSource = {
      getToken: async () => 'narrow',
      refresh: async () => undefined,
      stepUp: () => new Promise((resolve) => (finishSignIn = resolve)),
    }
    const input = new PassThrough()
    const output = new PassThrough()
    const relay = new Relay({ url: new URL('http://scripted/mcp'), server: 'fixture', input, output, diagnostics: new PassThrough(), tokens, sink: new LogRing(100), timeoutMs: 300, fetch: server.fetch })
    const lines: Record<string, unknown>[] = []
    output.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)))
    relay.start()

    input.write(initializeLine)
    input.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    input.write('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"admin","arguments":{}}}\n')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const answer = lines.find((line) => line.id === 2) as { error: { code: number; message: string; data: { code: string } } }
    expect(answer.error.code).toBe(-32001)
    expect(answer.error.data.code).toBe('scope_step_up_timeout')
    expect(answer.error.message).toMatch(/fixture needs the scope "mcp:admin" for tools\/call, and the sign-in for it was not finished within 0\.3 s.*it was not run\. Finish signing in/)

    finishSignIn('wide')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(server.ran()).toBe(0)
    expect(lines.filter((line) => line.id === 2)).toHaveLength(1)
    input.end()
    await relay.done
  })
})
