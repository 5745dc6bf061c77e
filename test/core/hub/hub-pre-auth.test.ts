import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createConnection, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hubAddressFor, type HubAddress } from '../../../src/core/hub/hub-address'
import { connectToHub } from '../../../src/core/hub/hub-client'
import { startHub, type RunningHub } from '../../../src/core/hub/hub-runtime'
import { startHubServer, type HubHandler, type HubServer } from '../../../src/core/hub/hub-server'

/** A raw connection to the hub, as any local process could open one. */
function rawClient(address: HubAddress): { socket: Socket; closed: Promise<number> } {
  const socket = createConnection(address.socketPath)
  socket.on('error', () => undefined)
  const opened = performance.now()
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - opened)))
  return { socket, closed }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still open'> {
  return Promise.race([promise, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))])
}

describe('the hub before hello', () => {
  let dir: string
  let address: HubAddress
  let hub: HubServer | undefined
  let running: RunningHub | undefined
  const sockets: Socket[] = []

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-preauth-'))
    address = hubAddressFor(dir)
  })
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy()
    await hub?.close()
    await running?.close()
    hub = undefined
    running = undefined
    await rm(dir, { recursive: true, force: true })
  })

  const handlers = new Map<string, HubHandler>([['echo', async (params) => params]])

  it('drops a connection that never says hello once its deadline passes', async () => {
    hub = await startHubServer(address, handlers, { helloTimeoutMs: 200 })
    const silent = rawClient(address)
    const halfHello = rawClient(address)
    sockets.push(silent.socket, halfHello.socket)
    halfHello.socket.write('{"id":1,"method":"hel')
    expect(await within(silent.closed, 3_000)).toBeGreaterThanOrEqual(150)
    expect(await within(halfHello.closed, 3_000)).not.toBe('still open')
    // An admitted client stays as long as it likes.
    const connection = await connectToHub(address, 'cli')
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await connection.call('echo', 1)).toBe(1)
    connection.close()
  })

  it('drops a 10 MB line sent before hello after a few kilobytes, at once', async () => {
    hub = await startHubServer(address, handlers)
    const flood = rawClient(address)
    sockets.push(flood.socket)
    await new Promise((resolve) => flood.socket.once('connect', resolve))
    // Written piece by piece, each once the kernel took the last: what got through before the hub hung up.
    const piece = Buffer.alloc(16 * 1024, 'y')
    let taken = 0
    let open = true
    void flood.closed.then(() => (open = false))
    while (open && taken < 10 * 1024 * 1024) {
      const written = await new Promise<boolean>((resolve) => flood.socket.write(piece, (error) => resolve(!error)))
      if (!written) break
      taken += piece.length
    }
    const closedAfter = await within(flood.closed, 3_000)
    expect(closedAfter).not.toBe('still open')
    expect(closedAfter).toBeLessThan(1_000)
    // The hub's 64 KiB plus what the kernel buffers for a socket: far from 10 MB.
    expect(taken).toBeLessThan(2 * 1024 * 1024)
  })

  it('answers a real status at once while 40 connections that never say hello stream partial lines', async () => {
    running = await startHub({ dataDir: dir })
    const chunk = 'x'.repeat(8 * 1024)
    let streaming = true
    const flooders = Array.from({ length: 40 }, () => {
      const client = rawClient(address)
      const pump = (): void => {
        while (streaming && !client.socket.destroyed && client.socket.write(chunk));
      }
      client.socket.on('connect', pump).on('drain', pump)
      sockets.push(client.socket)
      return client
    })
    const idle = Array.from({ length: 40 }, () => rawClient(address))
    sockets.push(...idle.map((client) => client.socket))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const started = performance.now()
    const connection = await connectToHub(address, 'cli', { timeoutMs: 5_000 })
    await connection.call('status', undefined, { timeoutMs: 5_000 })
    const statusMs = performance.now() - started
    connection.close()
    streaming = false
    expect(statusMs).toBeLessThan(500)
    for (const flooder of flooders) expect(await within(flooder.closed, 2_000)).not.toBe('still open')
  })

  it('keeps serving whatever bytes or lines arrive, before hello and after it', async () => {
    const picky = new Map<string, HubHandler>([
      ...handlers,
      ['throws', () => {
        throw new Error('thrown before any promise')
      }],
      ['unencodable', async () => ({ big: 1n })],
    ])
    hub = await startHubServer(address, picky, { helloTimeoutMs: 1_000 })
    const secret = (await readFile(address.secretPath, 'utf8')).trim()
    const line = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(`${JSON.stringify(value)}\n`)),
      fc.record({
        id: fc.oneof(fc.integer(), fc.double(), fc.string()),
        method: fc.constantFrom('hello', 'echo', 'throws', 'unencodable', 'nope', '__proto__', 'constructor'),
        params: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ secret: 'guess', role: 'admin', pid: -1 })),
      }).map((request) => Buffer.from(`${JSON.stringify(request)}\n`)),
    )
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(line, { maxLength: 15 }), async (admitted, lines) => {
        const client = rawClient(address)
        await new Promise((resolve) => client.socket.once('connect', resolve))
        if (admitted) client.socket.write(`${JSON.stringify({ id: 0, method: 'hello', params: { secret, role: 'cli', pid: 1 } })}\n`)
        for (const bytes of lines) client.socket.write(bytes)
        await new Promise((resolve) => setImmediate(resolve))
        client.socket.destroy()
      }),
      { numRuns: 60 },
    )
    const connection = await connectToHub(address, 'cli')
    expect(await connection.call('echo', 'still here')).toBe('still here')
    await expect(connection.call('throws')).rejects.toMatchObject({ code: 'hub_internal', message: 'thrown before any promise' })
    await expect(connection.call('unencodable')).rejects.toMatchObject({ code: 'hub_internal' })
    expect(await connection.call('echo', 'and after')).toBe('and after')
    connection.close()
    await vi.waitFor(() => expect(hub!.peers()).toHaveLength(0))
  })
})
