import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogRing } from '../../../src/core/logs/log-ring'
import { Relay } from '../../../src/core/proxy/relay'
import { FixedTokenSource } from '../../../src/core/proxy/token-source'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server/index'
import { obtainTokens } from '../../support/fixture-tokens'
import { initializeLine } from './spawn-proxy'

function relayInProcess(server: RemoteServer, tokens: FixedTokenSource) {
  const input = new PassThrough()
  const output = new PassThrough()
  const diagnostics = new PassThrough()
  const ring = new LogRing(100)
  const relay = new Relay({ url: new URL(server.mcpUrl), server: 'fixture', input, output, diagnostics, tokens, sink: ring })
  const waiting: ((line: string) => void)[] = []
  let buffered = ''
  output.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    let index: number
    while ((index = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, index)
      buffered = buffered.slice(index + 1)
      waiting.shift()?.(line)
    }
  })
  relay.start()
  return {
    relay,
    ring,
    send: (line: string) => input.write(line),
    next: () => new Promise<Record<string, unknown>>((resolve) => waiting.push((line) => resolve(JSON.parse(line)))),
    end: () => input.end(),
  }
}

describe('Relay with a signed-in server', () => {
  let server: RemoteServer
  let accessToken: string
  beforeAll(async () => {
    server = await startRemoteServer({ authRequired: true })
    accessToken = (await obtainTokens(server.issuer, { resource: server.mcpUrl, scope: 'mcp:tools' })).tokens.access_token
  })
  afterAll(async () => {
    await server.close()
  })

  it('puts the bearer on every request, refreshes once on 401 and replays, and keeps tokens out of the log', async () => {
    const tokens = new FixedTokenSource('not-a-valid-token', accessToken)
    const proxy = relayInProcess(server, tokens)
    proxy.send(initializeLine)
    expect(await proxy.next()).toMatchObject({ id: 1, result: { protocolVersion: '2025-11-25' } })
    expect(tokens.refreshes).toBe(1)
    proxy.send('{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    proxy.send('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}\n')
    expect(await proxy.next()).toMatchObject({ id: 2, result: { structuredContent: { subject: 'alice' } } })
    proxy.end()
    expect(await proxy.relay.done).toBe('stdin closed')

    const mine = server.knobs.requests.filter((r) => r.at >= server.knobs.requests.find((q) => q.rpcMethod === 'initialize')!.at)
    expect(new Set(mine.map((r) => r.httpMethod))).toEqual(new Set(['POST', 'GET', 'DELETE']))
    expect(mine.every((r) => r.hasBearer && !r.tokenInQuery)).toBe(true)
    expect(mine.filter((r) => r.status === 401)).toHaveLength(1)
    expect(JSON.stringify(proxy.ring.events('fixture'))).not.toContain(accessToken)
  })

  it('answers with a sign-in hint when no token works', async () => {
    const proxy = relayInProcess(server, new FixedTokenSource(undefined))
    proxy.send(initializeLine)
    const reply = await proxy.next()
    expect(reply).toMatchObject({ id: 1, error: { code: -32000, data: { httpStatus: 401 } } })
    expect((reply.error as { message: string }).message).toMatch(/fixture answered HTTP 401 to initialize: MCP Tray is not signed in.*Sign in again/)
    proxy.end()
    await proxy.relay.done
  })
})
