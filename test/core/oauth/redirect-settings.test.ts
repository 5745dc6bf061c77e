import { connect, createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { CallbackServer } from '../../../src/core/oauth/callback-server'
import { parseRedirectUri, redirectUriOf } from '../../../src/core/registry/redirect-uri'

describe('redirect URI settings', () => {
  it('reads a loopback redirect URI into host, port and path', () => {
    expect(parseRedirectUri('http://localhost:3334/oauth/callback')).toEqual({ host: 'localhost', port: 3334 })
    expect(parseRedirectUri('http://127.0.0.1/cb')).toEqual({ host: '127.0.0.1', path: '/cb' })
    expect(parseRedirectUri(' http://[::1]:8080/ ')).toEqual({ host: '[::1]', port: 8080, path: '/' })
    expect(parseRedirectUri('http://LOCALHOST:80/x')).toEqual({ host: 'localhost', port: 80, path: '/x' })
    expect(redirectUriOf({ host: 'localhost', port: 3334 }, 4000)).toBe('http://localhost:3334/oauth/callback')
    expect(redirectUriOf({ host: '[::1]', path: '/cb' }, 4000)).toBe('http://[::1]:4000/cb')
    expect(redirectUriOf(undefined, 3334)).toBe('http://127.0.0.1:3334/oauth/callback')
  })

  it('refuses what cannot be a loopback redirect, saying why', () => {
    expect(() => parseRedirectUri('https://localhost:3334/oauth/callback')).toThrow(/uses http \(RFC 8252 §7.3\)/)
    expect(() => parseRedirectUri('http://example.com/cb')).toThrow(/must be 127.0.0.1, localhost or \[::1\]/)
    expect(() => parseRedirectUri('http://localhost:3334/cb?x=1')).toThrow(/query or a fragment/)
    expect(() => parseRedirectUri('http://user:pw@localhost/cb')).toThrow(/user name or password/)
    expect(() => parseRedirectUri('localhost:3334')).toThrow(/http/)
    expect(() => parseRedirectUri('not a url')).toThrow(/not a URL/)
  })
})

describe('the callback server on the redirect host', () => {
  const reach = async (url: string): Promise<number | string> =>
    fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      (e: Error) => String((e.cause as { code?: string } | undefined)?.code ?? e.message),
    )

  it('listens on both 127.0.0.1 and ::1 for localhost, and names localhost in the redirect URI', async () => {
    const callback = await CallbackServer.listen({ port: 0, pinned: false, host: 'localhost', path: '/cb' })
    try {
      expect(callback.redirectUri).toBe(`http://localhost:${callback.port}/cb`)
      // No state: the page says so (400); a wrong path is 404. Both prove the listener is there.
      expect(await reach(`http://127.0.0.1:${callback.port}/cb`)).toBe(400)
      expect(await reach(`http://127.0.0.1:${callback.port}/oauth/callback`)).toBe(404)
      if (await ipv6Available()) expect(await reach(`http://[::1]:${callback.port}/cb`)).toBe(400)
    } finally {
      await callback.close()
    }
    expect(await tcpRefused('127.0.0.1', callback.port)).toBe(true)
    if (await ipv6Available()) expect(await tcpRefused('::1', callback.port)).toBe(true)
  })

  it('listens on ::1 alone for [::1], and on 127.0.0.1 alone by default', async () => {
    if (await ipv6Available()) {
      const v6 = await CallbackServer.listen({ port: 0, pinned: false, host: '[::1]' })
      try {
        expect(v6.redirectUri).toBe(`http://[::1]:${v6.port}/oauth/callback`)
        expect(await reach(`http://[::1]:${v6.port}/oauth/callback`)).toBe(400)
        expect(await tcpRefused('127.0.0.1', v6.port)).toBe(true)
      } finally {
        await v6.close()
      }
    }
    const v4 = await CallbackServer.listen({ port: 0, pinned: false })
    try {
      expect(v4.redirectUri).toBe(`http://127.0.0.1:${v4.port}/oauth/callback`)
    } finally {
      await v4.close()
    }
  })

  it('counts a pinned localhost port taken on ::1 as taken, naming the redirect URI', async () => {
    if (!(await ipv6Available())) return
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '::1', resolve))
    const port = (holder.address() as { port: number }).port
    try {
      await expect(CallbackServer.listen({ port, pinned: true, host: 'localhost' })).rejects.toMatchObject({
        code: 'callback_port_taken',
        hint: expect.stringContaining(`http://localhost:${port}/oauth/callback`),
      })
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  })
})

async function ipv6Available(): Promise<boolean> {
  const probe = createServer()
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false))
    probe.listen(0, '::1', () => probe.close(() => resolve(true)))
  })
}

function tcpRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}
