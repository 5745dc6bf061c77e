import { AsyncLocalStorage } from 'node:async_hooks'
import { describe, expect, it } from 'vitest'
import { TrayError } from '../../../src/shared/tray-error'
import type { ScopeChallenge, TokenSource } from '../../../src/core/proxy/token-source'
import { createUpstreamFetch, type AttemptRecord } from '../../../src/core/proxy/upstream-fetch'

const challenge = 'Bearer error="insufficient_scope", scope="mcp:tools mcp:admin", resource_metadata="http://x/.well-known/oauth-protected-resource/mcp"'

/** Tokens whose step-up is scripted; records what it was asked. */
function tokens(stepUp: (stale: string, challenge: ScopeChallenge) => Promise<string | undefined>) {
  const asked: ScopeChallenge[] = []
  const source: TokenSource = {
    getToken: async () => 'narrow',
    refresh: async () => undefined,
    stepUp: (stale, scoped) => {
      asked.push(scoped)
      return stepUp(stale, scoped)
    },
  }
  return { source, asked }
}

/** A server that wants the `wide` token for everything. */
function server(refuseAlways = false) {
  const seen: (string | null)[] = []
  const fetch = async (_url: string | URL, init?: RequestInit): Promise<Response> => {
    const auth = new Headers(init?.headers).get('authorization')
    seen.push(auth)
    if (auth === 'Bearer wide' && !refuseAlways) return new Response('{}', { status: 200 })
    return new Response('{"error":"insufficient_scope"}', { status: 403, headers: { 'www-authenticate': challenge } })
  }
  return { fetch, seen }
}

const post = { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"tools/call"}' }

async function failureOf(promise: Promise<unknown>): Promise<TrayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(TrayError)
  return error as TrayError
}

describe('createUpstreamFetch on 403 insufficient_scope', () => {
  it('steps up once with the challenged scope and metadata, then replays the request', async () => {
    const { source, asked } = tokens(async () => 'wide')
    const remote = server()
    const fetch = createUpstreamFetch({ server: 'fixture', tokens: source, attempts: new AsyncLocalStorage(), fetch: remote.fetch })
    expect((await fetch('http://x/mcp', post)).status).toBe(200)
    expect(remote.seen).toEqual(['Bearer narrow', 'Bearer wide'])
    expect(asked).toEqual([{ scope: 'mcp:tools mcp:admin', resourceMetadata: 'http://x/.well-known/oauth-protected-resource/mcp' }])
  })

  it('never loops: a second refusal ends it with the scope and how to sign in', async () => {
    const { source, asked } = tokens(async () => 'wide')
    const remote = server(true)
    const fetch = createUpstreamFetch({ server: 'fixture', tokens: source, attempts: new AsyncLocalStorage(), fetch: remote.fetch })
    const error = await failureOf(fetch('http://x/mcp', post))
    expect(error.code).toBe('scope_step_up_failed')
    expect(error.message).toMatch(/fixture refused this request: it needs the scope "mcp:tools mcp:admin"\..*still refused/)
    expect(error.hint).toMatch(/mcp-tray login fixture/)
    expect(remote.seen).toHaveLength(2)
    expect(asked).toHaveLength(1)
  })

  it('says why when the hub cannot step up (unreachable, limit reached), and sends nothing more', async () => {
    const { source } = tokens(async () => {
      throw new TrayError('scope_step_up_limit', 'fixture keeps asking for more access (mcp:admin).', { hint: 'MCP Tray stopped asking to avoid a loop.' })
    })
    const remote = server()
    const fetch = createUpstreamFetch({ server: 'fixture', tokens: source, attempts: new AsyncLocalStorage(), fetch: remote.fetch })
    const error = await failureOf(fetch('http://x/mcp', post))
    expect(error.message).toMatch(/but fixture keeps asking for more access \(mcp:admin\)\. MCP Tray stopped asking to avoid a loop\./)
    expect(remote.seen).toHaveLength(1)
  })

  it('does not replay a request the client stopped waiting for during the sign-in', async () => {
    const attempts = new AsyncLocalStorage<AttemptRecord>()
    const record: AttemptRecord = { idempotent: false, attempts: 0 }
    const { source } = tokens(async () => {
      expect(record.steppingUpFor).toBe('mcp:tools mcp:admin')
      record.abandoned = true // the relay answered the client with a timeout meanwhile
      return 'wide'
    })
    const remote = server()
    const fetch = createUpstreamFetch({ server: 'fixture', tokens: source, attempts, fetch: remote.fetch })
    const error = await failureOf(attempts.run(record, () => fetch('http://x/mcp', post)))
    expect(error.message).toMatch(/stopped waiting/)
    expect(remote.seen).toHaveLength(1)
    expect(record.steppingUpFor).toBeUndefined()
  })

  it('leaves other 403s, and GETs, to the caller', async () => {
    const { source, asked } = tokens(async () => 'wide')
    const plain = createUpstreamFetch({ tokens: source, attempts: new AsyncLocalStorage(), fetch: async () => new Response(null, { status: 403 }) })
    expect((await plain('http://x/mcp', post)).status).toBe(403)
    const remote = server()
    const get = createUpstreamFetch({ tokens: source, attempts: new AsyncLocalStorage(), fetch: remote.fetch })
    expect((await get('http://x/mcp', { method: 'GET' })).status).toBe(403)
    expect(asked).toEqual([])
  })
})
