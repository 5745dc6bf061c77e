import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CallbackServer, checkCallback, type ExpectedCallback } from '../../../src/core/oauth/callback-server'

const expected: ExpectedCallback = { state: 's1', issuer: 'https://as.example', requireIss: true, serverName: 'demo' }
const open: (CallbackServer | Server)[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => (s instanceof CallbackServer ? s.close() : new Promise((r) => s.close(r)))))
})

async function listen(port = 0, pinned = false): Promise<CallbackServer> {
  const server = await CallbackServer.listen({ port, pinned })
  open.push(server)
  return server
}

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  open.push(server)
  return { server, port: (server.address() as AddressInfo).port }
}

describe('checkCallback (RFC 6749 §10.12, RFC 9207)', () => {
  const url = (q: string): URL => new URL(`http://127.0.0.1:1/oauth/callback?${q}`)
  it('accepts the right state and issuer once', () => {
    expect(checkCallback(url('code=c&state=s1&iss=https%3A%2F%2Fas.example'), expected, new Set()).kind).toBe('accepted')
    expect(checkCallback(url('code=c&state=s1&iss=https%3A%2F%2Fas.example'), expected, new Set(['s1']))).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/already used/),
    })
  })
  it('ignores a missing or wrong state', () => {
    expect(checkCallback(url('code=c'), expected, new Set()).kind).toBe('ignored')
    expect(checkCallback(url('code=c&state=other'), expected, new Set()).kind).toBe('ignored')
  })
  it('fails on a wrong iss, and on a missing iss when the server advertises it', () => {
    expect(checkCallback(url('code=c&state=s1&iss=https%3A%2F%2Fevil.example'), expected, new Set())).toMatchObject({
      kind: 'failed',
      error: { code: 'issuer_mismatch' },
    })
    expect(checkCallback(url('code=c&state=s1'), expected, new Set()).kind).toBe('failed')
    expect(checkCallback(url('code=c&state=s1'), { ...expected, requireIss: false }, new Set()).kind).toBe('accepted')
  })
  it("carries the server's error_description", () => {
    const outcome = checkCallback(url('error=access_denied&error_description=The+user+said+no&state=s1&iss=https%3A%2F%2Fas.example'), expected, new Set())
    expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'authorization_access_denied', message: expect.stringMatching(/The user said no/) } })
  })
})

describe('CallbackServer (RFC 8252 §7.3)', () => {
  it('binds 127.0.0.1 only, shows plain pages, rejects wrong state and replays', async () => {
    const server = await listen()
    expect(server.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/)
    const result = server.wait(expected, { timeoutMs: 5000 })
    const wrong = await fetch(`${server.redirectUri}?code=c&state=nope`)
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('does not belong')
    const good = fetch(`${server.redirectUri}?code=c&state=s1&iss=${encodeURIComponent(expected.issuer)}`)
    expect((await result).url.searchParams.get('code')).toBe('c')
    server.finish({ signedIn: 'demo' })
    expect((await good).status).toBe(200)
    expect(await (await good).text()).toContain('You are signed in to demo')
    const replay = await fetch(`${server.redirectUri}?code=c&state=s1&iss=${encodeURIComponent(expected.issuer)}`)
    expect(replay.status).toBe(400)
    expect(await replay.text()).toContain('already used')
    expect((await fetch(server.redirectUri.replace('/oauth/callback', '/other'))).status).toBe(404)
  })

  it("shows the server's error_description and ends the wait with it", async () => {
    const server = await listen()
    const result = server.wait({ ...expected, requireIss: false }, { timeoutMs: 5000 })
    result.catch(() => undefined)
    const page = await fetch(`${server.redirectUri}?error=access_denied&error_description=${encodeURIComponent('Alice <b>declined</b>')}&state=s1`)
    expect(page.status).toBe(400)
    const text = await page.text()
    expect(text).toContain('Alice &#60;b&#62;declined')
    expect(text).not.toContain('<script')
    await expect(result).rejects.toMatchObject({ code: 'authorization_access_denied' })
  })

  it('times out and can be cancelled', async () => {
    const server = await listen()
    await expect(server.wait(expected, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'sign_in_timeout' })
    const controller = new AbortController()
    const waiting = server.wait(expected, { timeoutMs: 5000, signal: controller.signal })
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'sign_in_cancelled' })
  })

  it('moves to the next free port when the configured one is taken, and says so', async () => {
    const { port } = await occupy()
    const server = await listen(port)
    expect(server.movedFrom).toBe(port)
    expect(server.port).toBeGreaterThan(port)
    expect(server.redirectUri).toBe(`http://127.0.0.1:${server.port}/oauth/callback`)
  })

  it('fails naming the holder when a pinned port is taken', async () => {
    const { port } = await occupy()
    const attempt = CallbackServer.listen({ port, pinned: true })
    await expect(attempt).rejects.toMatchObject({ code: 'callback_port_taken' })
    await expect(CallbackServer.listen({ port, pinned: true })).rejects.toThrow(new RegExp(`Port ${port} .*in use by .*pid ${process.pid}`))
  })
})
