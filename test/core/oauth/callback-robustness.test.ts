import { connect } from 'node:net'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { CallbackServer, checkCallback, type ExpectedCallback } from '../../../src/core/oauth/callback-server'
import { TrayError } from '../../../src/shared/tray-error'

const expected: ExpectedCallback = { state: 's1', issuer: 'https://as.example', requireIss: false, serverName: 'demo' }
const open: CallbackServer[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()))
})

async function listen(outcomeWaitMs?: number): Promise<CallbackServer> {
  const server = await CallbackServer.listen({ port: 0, pinned: false, ...(outcomeWaitMs === undefined ? {} : { outcomeWaitMs }) })
  open.push(server)
  return server
}

/** Sends raw bytes to the server and returns what came back (bounded), as any local process could. */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes))
    let reply = ''
    const timer = setTimeout(() => socket.destroy(), 3_000)
    socket.on('data', (data) => (reply += data.toString('latin1')))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(reply)
    })
  })
}

const statusOf = (reply: string): string => reply.split('\r\n')[0] ?? ''

describe('the sign-in callback server survives anything a local process sends', () => {
  it('answers malformed targets, percent-encodings, methods and huge headers, and still takes the real callback', async () => {
    const server = await listen()
    const requests = [
      'GET // HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET //x:99999/ HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /% HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /oauth/callback?state=%&code=%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET * HTTP/1.1\r\nHost: x\r\n\r\n',
      'BREW /oauth/callback HTTP/1.1\r\nHost: x\r\n\r\n',
      'DELETE /oauth/callback?state=s1 HTTP/1.1\r\nHost: x\r\n\r\n',
      `GET /oauth/callback HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      'GET /oauth/callback HTTP/9.9\r\n\r\n',
      '\x00\x01\x02 garbage\r\n\r\n',
    ]
    for (const request of requests) expect(statusOf(await raw(server.port, request)), JSON.stringify(request.slice(0, 40))).toMatch(/^HTTP\/1\.1 [45]\d\d /)
    const waiting = server.wait(expected, { timeoutMs: 5_000 })
    const page = fetch(`${server.redirectUri}?code=c&state=s1`)
    await waiting
    server.finish({ signedIn: 'demo' })
    expect((await page).status).toBe(200)
  })

  it('keeps serving through random request lines, targets and query strings', async () => {
    const server = await listen()
    const method = fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'CONNECT', 'PRI'), fc.stringMatching(/^[A-Z]{1,12}$/))
    const target = fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((text) => `/oauth/callback?${text.replace(/[\s]/g, '')}`),
      fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((text) => text.replace(/[\s]/g, '') || '/'),
      fc.array(fc.constantFrom('%', '%E0', '%A4', '%zz', '&', '=', 'state', 'code', 'error', 'iss', '/', '?', '#', '//', '..'), { maxLength: 20 }).map((parts) => `/oauth/callback?${parts.join('')}`),
    )
    await fc.assert(
      fc.asyncProperty(method, target, async (verb, path) => {
        const reply = await raw(server.port, `${verb} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
        expect(reply === '' || /^HTTP\/1\.1 \d{3} /.test(reply)).toBe(true)
      }),
      { numRuns: 150 },
    )
    expect((await fetch(`${server.redirectUri}?state=unknown`)).status).toBe(400)
  })

  it('never throws while checking a callback, whatever its query holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (query) => {
        let url: URL
        try {
          url = new URL(`http://127.0.0.1:1/oauth/callback?${query}`)
        } catch {
          return
        }
        const outcome = checkCallback(url, expected, new Set())
        expect(['ignored', 'failed', 'accepted']).toContain(outcome.kind)
        if (outcome.kind === 'failed') expect(outcome.error.code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/)
      }),
      { numRuns: 500 },
    )
  })
})

describe('the callback page tells the truth', () => {
  it('says "Signed in" only once the flow says the exchange worked, and the error in words when it did not', async () => {
    const server = await listen()
    const waiting = server.wait(expected, { timeoutMs: 5_000 })
    let answered = false
    const page = fetch(`${server.redirectUri}?code=c&state=s1`).then((response) => ((answered = true), response))
    await waiting
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(answered).toBe(false)
    server.finish({
      error: new TrayError('token_request_failed', 'Exchanging the sign-in code for tokens failed. The server said: \x1b]0;evil\x07\x1b[31mcode expired.', {
        hint: 'Try again.',
      }),
    })
    const response = await page
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Sign-in failed')
    expect(html).toContain('The server said: code expired. Try again.')
    expect(html).not.toContain('Signed in')
    expect(html).not.toMatch(/[\x00-\x08\x0b-\x1f]/)
  })

  it('tells a browser kept waiting too long to look in MCP Tray, and a closing server answers a waiting browser', async () => {
    const slow = await listen(100)
    const waiting = slow.wait(expected, { timeoutMs: 5_000 })
    const page = fetch(`${slow.redirectUri}?code=c&state=s1`)
    await waiting
    const response = await page
    expect(response.status).toBe(202)
    expect(await response.text()).toMatch(/still completing the sign-in to demo/)
    slow.finish({ signedIn: 'demo' })

    const closing = await listen()
    const second = closing.wait(expected, { timeoutMs: 5_000 })
    const held = fetch(`${closing.redirectUri}?code=c&state=s1`)
    await second
    await closing.close()
    expect(await (await held).text()).toMatch(/stopped before the sign-in finished/)
  })

  it('shows an authorization server\'s error_description as words, without its escape sequences', async () => {
    const server = await listen()
    const waiting = server.wait(expected, { timeoutMs: 5_000 })
    waiting.catch(() => undefined)
    const description = 'Access \x1b]0;evil\x07\x1b[31mdenied\x1b[0m by policy'
    const page = await fetch(`${server.redirectUri}?error=access_denied&error_description=${encodeURIComponent(description)}&state=s1`)
    expect(await page.text()).toContain('The server refused the sign-in: Access denied by policy.')
    await expect(waiting).rejects.toMatchObject({ code: 'authorization_access_denied' })
  })
})
