import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { startHostileServer, type HostileServer } from '../../fixtures/remote-server/hostile-server'
import { startRawProxyClient, type RawProxyClient } from './raw-proxy-client'

/** Polls `check` until it holds, or fails after `ms`. */
async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`still not so after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The reserved lane's connections (notifications, replies, DELETE), on top of the pool's. */
const reserved = 2

function hasPrlimit(): boolean {
  return process.platform === 'linux' && ['/usr/bin/prlimit', '/bin/prlimit'].some((path) => existsSync(path))
}

/** The built proxy's connections to one server: a pool of a few, with the rest of the requests queued. */
describe('mcp-tray proxy connections to a server', () => {
  let server: HostileServer | undefined
  let proxy: RawProxyClient | undefined
  afterEach(async () => {
    await proxy?.close()
    await server?.close()
    proxy = undefined
    server = undefined
  })

  it('opens at most 8 connections for 10,000 requests at once, and queues the rest', async () => {
    server = await startHostileServer()
    proxy = await startRawProxyClient(server.url)
    // Every call holds its connection: only as many reach the server as there are connections.
    proxy.fire('tools/call', () => ({ name: 'hang', arguments: {} }), 10_000)
    await eventually(() => server!.calls.length >= 8)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(server.calls).toHaveLength(8)
    expect(server.mostOpen).toBeLessThanOrEqual(8 + reserved)
    expect(server.accepted).toBeLessThanOrEqual(8 + reserved)
    // The client leaving ends all of it, the queue included, at once.
    expect(await proxy.close()).toBe(0)
    proxy = undefined
  }, 20_000)

  it('answers every queued request once a connection frees up', async () => {
    server = await startHostileServer()
    proxy = await startRawProxyClient(server.url, ['--max-sockets', '3'])
    const ids = proxy.fire('tools/call', (i) => ({ name: 'echo', arguments: { text: `call ${i}` } }), 300)
    const answers = await Promise.all(ids.map((id) => proxy!.answer(id, 15_000)))
    expect(answers.every((answer, i) => JSON.stringify(answer.result).includes(`call ${i}`))).toBe(true)
    expect(server.mostOpen).toBeLessThanOrEqual(3 + reserved)
    expect(server.accepted).toBeLessThanOrEqual(3 + reserved)
  }, 20_000)

  it('answers a request that timed out waiting for a connection as not sent, and does not cancel it upstream', async () => {
    server = await startHostileServer()
    proxy = await startRawProxyClient(server.url, ['--max-sockets', '2', '--timeout', '800'])
    // Two calls that hold both connections, alive (their progress keeps their timeouts away).
    proxy.fire('tools/call', (i) => ({ name: 'hang', arguments: { progressMs: 200 }, _meta: { progressToken: `held-${i}` } }), 2)
    await eventually(() => server!.calls.length === 2)
    const queued = proxy.fire('tools/call', () => ({ name: 'echo', arguments: { text: 'never' } }), 20)
    const answers = await Promise.all(queued.map((id) => proxy!.answer(id)))
    for (const answer of answers) {
      expect(answer.error?.data?.code).toBe('upstream_no_connection')
      expect(answer.error?.message).toMatch(/could not send tools\/call to .* within 0\.8 s: .*The request was not sent\. .*--max-sockets/)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.notifications.filter((n) => n.method === 'notifications/cancelled')).toHaveLength(0)
    expect(server.calls.filter((c) => c.tool === 'echo')).toHaveLength(0)
    expect(server.accepted).toBeLessThanOrEqual(2 + reserved)
  }, 20_000)

  it.skipIf(!hasPrlimit())('takes running out of file descriptors (EMFILE) as not sent: tried again, never run twice', async () => {
    server = await startHostileServer()
    proxy = await startRawProxyClient(server.url, ['--max-sockets', '64'])
    expect((await proxy.callTool('echo', { text: 'warm' })).result).toBeDefined()
    await new Promise((resolve) => setTimeout(resolve, 200))
    // Two descriptors to spare: most new connections fail with EMFILE until one is free again.
    const open = readdirSync(`/proc/${proxy.pid}/fd`).length
    execFileSync('prlimit', [`--pid=${proxy.pid}`, `--nofile=${open + 2}:`])
    const ids = proxy.fire('tools/call', (i) => ({ name: 'echo', arguments: { text: `call ${i}` } }), 30)
    const answers = await Promise.all(ids.map((id) => proxy!.answer(id, 10_000)))
    const failed = answers.filter((answer) => answer.error)
    for (const answer of failed) {
      expect(answer.error?.data?.code).toBe('upstream_local_limit')
      expect(answer.error?.message).toMatch(/The request was not sent/)
      expect(answer.error?.message).not.toMatch(/may have/)
    }
    // Each call the server saw ran once, and each one answered with a result is one of them.
    const ran = server.calls.filter((c) => c.tool === 'echo' && c.id !== undefined).length - 1
    expect(ran).toBe(answers.length - failed.length)
  }, 20_000)
})
