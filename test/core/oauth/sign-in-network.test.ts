import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createNetwork, type Network } from '../../../src/core/net/network'
import { startForwardProxy, type ForwardProxy } from '../../fixtures/net/forward-proxy'
import { createPrivateCa } from '../../fixtures/net/private-ca'
import { startQuirkyServer, type QuirkyServer } from '../../fixtures/quirky-as/quirky-server'
import { recordingBrowser, serverEntry, testEngine } from './engine-harness'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function started<T extends { close(): Promise<void> }>(thing: Promise<T>): Promise<T> {
  const value = await thing
  closers.push(() => value.close())
  return value
}

function network(env: Record<string, string>): Network {
  const created = createNetwork({ env, trustSystemCertificates: false })
  closers.push(() => created.close())
  return created
}

const browser = recordingBrowser(async (url) => {
  const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')
  if (location) void fetch(location).catch(() => undefined)
})

describe('sign-in and refresh on the network settings', () => {
  it('go through the proxy HTTP_PROXY names, and past it to hosts NO_PROXY covers', async () => {
    const server: QuirkyServer = await started(startQuirkyServer())
    const forward: ForwardProxy = await started(startForwardProxy())
    const engine = await testEngine({ browser, network: network({ HTTP_PROXY: forward.url }) })
    await engine.signIn.run(serverEntry(server.mcpUrl))
    const origin = new URL(server.issuer).host
    expect(forward.requests.length).toBeGreaterThan(0)
    expect(forward.requests.every((r) => r.method === 'CONNECT' && r.target === origin)).toBe(true)
    const before = forward.requests.length
    const record = await engine.vault.get<{ tokens: { accessToken: string } }>('server:fixture')
    await engine.tokens.refresh('fixture', record!.tokens.accessToken)
    expect(server.tokenRequests.at(-1)?.get('grant_type')).toBe('refresh_token')
    expect(forward.requests.length + server.tokenRequests.length).toBeGreaterThan(before) // kept-alive tunnels may carry it

    const direct = await started(startForwardProxy())
    const bypassing = await testEngine({ browser, network: network({ HTTP_PROXY: direct.url, NO_PROXY: '127.0.0.1' }) })
    await bypassing.signIn.run(serverEntry(server.mcpUrl))
    expect(direct.requests).toEqual([])
  })

  it('fails with words naming the certificate authority the server’s certificate comes from', async () => {
    const ca = createPrivateCa('Contoso Internal Root', 'Contoso')
    const leaf = ca.issue(['localhost'])
    const https: Server = createServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.writeHead(401).end())
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve))
    closers.push(() => new Promise((resolve) => https.close(() => resolve())))
    const engine = await testEngine({ browser, network: network({}) })
    const url = `https://localhost:${(https.address() as AddressInfo).port}/mcp`
    const error = await engine.signIn.run(serverEntry(url)).catch((e: unknown) => e as Error & { code?: string; hint?: string })
    expect(error).toMatchObject({ code: 'certificate_untrusted', hint: expect.stringContaining('NODE_EXTRA_CA_CERTS') })
    expect((error as Error).message).toBe('The certificate of localhost was issued by “Contoso Internal Root”, which this computer does not trust.')
  })
})
