import { AsyncLocalStorage } from 'node:async_hooks'
import { describe, expect, it } from 'vitest'
import { TrayError } from '../../../src/shared/tray-error'
import { FixedTokenSource } from '../../../src/core/proxy/token-source'
import { createUpstreamFetch, type AttemptRecord } from '../../../src/core/proxy/upstream-fetch'
import { ConnectionLostError } from '../../../src/core/proxy/bounded-body'
import { FetchFailure } from '../../../src/core/proxy/node-http-fetch'
import { deliveryError } from '../../../src/core/proxy/upstream-errors'

function failure(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) })
}

const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 }

describe('createUpstreamFetch', () => {
  it('sends the bearer, and on 401 refreshes once and replays', async () => {
    const seen: (string | null)[] = []
    const tokens = new FixedTokenSource('stale', 'fresh')
    const fetch = createUpstreamFetch({
      tokens,
      attempts: new AsyncLocalStorage(),
      fetch: async (_url, init) => {
        const auth = new Headers(init?.headers).get('authorization')
        seen.push(auth)
        return new Response(null, { status: auth === 'Bearer fresh' ? 200 : 401 })
      },
    })
    expect((await fetch('http://x/mcp', { method: 'POST', body: '{}' })).status).toBe(200)
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh'])
    expect(tokens.refreshes).toBe(1)
  })

  it('does not replay a request the client stopped waiting for during the sign-in its 401 started', async () => {
    const attempts = new AsyncLocalStorage<AttemptRecord>()
    const record: AttemptRecord = { idempotent: false, attempts: 0 }
    let calls = 0
    const fetch = createUpstreamFetch({
      tokens: {
        getToken: async () => undefined,
        // The sign-in outlasts the client's patience: it is answered with a timeout meanwhile.
        refresh: async () => ((record.abandoned = true), 'signed-in'),
        stepUp: async () => undefined,
      },
      attempts,
      fetch: async () => (calls++, new Response(null, { status: 401 })),
    })
    await expect(attempts.run(record, () => fetch('http://x/mcp', { method: 'POST', body: '{}' }))).rejects.toMatchObject({ code: 'request_abandoned' })
    expect(calls).toBe(1)
  })

  it('does not refresh for the DELETE that ends a session on the way out', async () => {
    const tokens = new FixedTokenSource('expired', 'fresh')
    const fetch = createUpstreamFetch({ tokens, attempts: new AsyncLocalStorage(), fetch: async () => new Response(null, { status: 401 }) })
    expect((await fetch('http://x/mcp', { method: 'DELETE' })).status).toBe(401)
    expect(tokens.refreshes).toBe(0)
  })

  it('gives the 401 back when a refresh brings nothing new', async () => {
    const tokens = new FixedTokenSource('only')
    let calls = 0
    const fetch = createUpstreamFetch({ tokens, attempts: new AsyncLocalStorage(), fetch: async () => (calls++, new Response(null, { status: 401 })) })
    expect((await fetch('http://x/mcp')).status).toBe(401)
    expect(calls).toBe(1)
  })

  it('retries a refused connection, never a reset one', async () => {
    const attempts = new AsyncLocalStorage<AttemptRecord>()
    let calls = 0
    const refusedTwice = createUpstreamFetch({
      tokens: new FixedTokenSource(undefined),
      attempts,
      retry: fast,
      fetch: async () => {
        calls += 1
        if (calls <= 2) throw failure('ECONNREFUSED')
        return new Response('{}', { status: 200 })
      },
    })
    const record: AttemptRecord = { idempotent: false, attempts: 0 }
    expect((await attempts.run(record, () => refusedTwice('http://x/mcp', { method: 'POST', body: '{}' }))).status).toBe(200)
    expect(record).toMatchObject({ attempts: 3, status: 200 })

    let resets = 0
    const reset = createUpstreamFetch({
      tokens: new FixedTokenSource(undefined),
      attempts,
      retry: fast,
      fetch: async () => {
        resets += 1
        throw failure('ECONNRESET')
      },
    })
    const error = await reset('http://x/mcp', { method: 'POST', body: '{}' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionLostError)
    expect(deliveryError(error, { server: 'x', method: 'tools/call', elapsedMs: 5 }, false).message).toMatch(/x went away while handling tools\/call: .*ECONNRESET.*The tool may have run there, so MCP Tray did not send it again/)
    expect(resets).toBe(1)
  })

  it('retries what failed before a connection carried it (EMFILE), and says it was not sent', async () => {
    let tries = 0
    const local = createUpstreamFetch({
      tokens: new FixedTokenSource(undefined),
      attempts: new AsyncLocalStorage(),
      retry: fast,
      fetch: async () => {
        tries += 1
        throw new FetchFailure(Object.assign(new Error('connect EMFILE'), { code: 'EMFILE' }), false)
      },
    })
    const error = await local('http://x/mcp', { method: 'POST', body: '{}' }).catch((e: unknown) => e)
    expect(tries).toBe(fast.attempts)
    expect(error).toMatchObject({ code: 'upstream_local_limit', message: expect.stringContaining('The request was not sent') })
    expect(deliveryError(error, { server: 'x', method: 'tools/call', elapsedMs: 5 }, false).message).not.toMatch(/may have/)
  })

  it('retries a 503 for reads only', async () => {
    const attempts = new AsyncLocalStorage<AttemptRecord>()
    const statuses = [503, 200]
    let calls = 0
    const fetch = createUpstreamFetch({
      tokens: new FixedTokenSource(undefined),
      attempts,
      retry: fast,
      fetch: async () => new Response(null, { status: statuses[Math.min(calls++, 1)] }),
    })
    const read: AttemptRecord = { idempotent: true, attempts: 0 }
    expect((await attempts.run(read, () => fetch('http://x/mcp', { method: 'POST', body: '{}' }))).status).toBe(200)
    calls = 0
    const write: AttemptRecord = { idempotent: false, attempts: 0 }
    expect((await attempts.run(write, () => fetch('http://x/mcp', { method: 'POST', body: '{}' }))).status).toBe(503)
    expect(write.attempts).toBe(1)
  })
})
