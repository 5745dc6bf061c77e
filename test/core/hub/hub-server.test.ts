import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hubAddressFor, type HubAddress } from '../../../src/core/hub/hub-address'
import { connectToHub } from '../../../src/core/hub/hub-client'
import { startHubServer, type HubHandler, type HubServer } from '../../../src/core/hub/hub-server'
import { TrayError } from '../../../src/shared/tray-error'

describe('hub socket', () => {
  let dir: string
  let address: HubAddress
  let hub: HubServer | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-hub-'))
    address = hubAddressFor(dir)
  })
  afterEach(async () => {
    await hub?.close()
    hub = undefined
    await rm(dir, { recursive: true, force: true })
  })

  const handlers = new Map<string, HubHandler>([
    ['echo', async (params) => params],
    ['boom', async () => {
      throw new TrayError('sign_in_needed', 'Sign-in needed for demo.', { hint: 'Open MCP Tray and click Connect.' })
    }],
    ['never', () => new Promise(() => {})],
  ])

  it('keeps its socket and secret readable by the owner only', async () => {
    hub = await startHubServer(address, handlers)
    expect((await stat(address.socketPath)).mode & 0o777).toBe(0o600)
    expect((await stat(address.secretPath)).mode & 0o777).toBe(0o600)
  })

  it('answers calls from a client that presents the secret, and passes typed errors through', async () => {
    hub = await startHubServer(address, handlers)
    const connection = await connectToHub(address, 'proxy')
    expect(await connection.call('echo', { a: 1 })).toEqual({ a: 1 })
    const error = await connection.call('boom').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TrayError)
    expect(error).toMatchObject({ code: 'sign_in_needed', hint: 'Open MCP Tray and click Connect.' })
    await expect(connection.call('nope')).rejects.toMatchObject({ code: 'hub_unknown_method' })
    connection.close()
  })

  it('turns away a client with the wrong secret before it can call anything', async () => {
    hub = await startHubServer(address, handlers)
    const socket = createConnection(address.socketPath)
    const reply = await new Promise<string>((resolve) => {
      socket.on('data', (data) => resolve(data.toString()))
      socket.write(`${JSON.stringify({ id: 1, method: 'hello', params: { secret: 'guess', role: 'proxy', pid: 1 } })}\n`)
      socket.write(`${JSON.stringify({ id: 2, method: 'echo', params: 'x' })}\n`)
    })
    expect(JSON.parse(reply.split('\n')[0]!)).toMatchObject({ id: 1, error: { code: 'hub_unauthorized' } })
    expect(reply).not.toContain('"result"')
    socket.destroy()
  })

  it('tells a client whose secret file was replaced while the hub ran what to do', async () => {
    hub = await startHubServer(address, handlers)
    await writeFile(address.secretPath, 'replaced')
    const error = await connectToHub(address, 'cli').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'hub_unauthorized', hint: expect.stringMatching(/quit MCP Tray .* start it again/) })
  })

  it('bounds every call: a hub that never answers gives hub-timeout, a gone hub gives hub-unavailable', async () => {
    hub = await startHubServer(address, handlers)
    const connection = await connectToHub(address, 'proxy')
    await expect(connection.call('never', undefined, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'hub_timeout' })
    const pending = connection.call('never')
    await hub.close()
    hub = undefined
    await expect(pending).rejects.toMatchObject({ code: 'hub_unavailable' })
  })

  it('says hub-unavailable quickly when no hub runs, and replaces a socket left by a dead hub', async () => {
    await expect(connectToHub(address, 'cli')).rejects.toMatchObject({ code: 'hub_unavailable' })
    await writeFile(address.socketPath, '')
    hub = await startHubServer(address, handlers)
    const connection = await connectToHub(address, 'cli')
    expect(await connection.call('echo', 1)).toBe(1)
    connection.close()
  })

  it('refuses to start a second hub on the same data folder', async () => {
    hub = await startHubServer(address, handlers)
    await expect(startHubServer(address, handlers)).rejects.toMatchObject({ code: 'hub_already_running' })
  })

  it('lets exactly one of several hubs started at once take the socket, even over a dead hub\'s socket file', async () => {
    for (const leftover of Array.from({ length: 20 }, (_, round) => round % 2 === 1)) {
      const round = await mkdtemp(join(dir, 'round-'))
      const roundAddress = hubAddressFor(round)
      if (leftover) await writeFile(roundAddress.socketPath, '')
      const starts = await Promise.allSettled(Array.from({ length: 6 }, () => startHubServer(roundAddress, handlers)))
      const started = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []))
      const refused = starts.flatMap((start) => (start.status === 'rejected' ? [start.reason as unknown] : []))
      try {
        expect(started).toHaveLength(1)
        expect(refused).toEqual(Array.from({ length: 5 }, () => expect.objectContaining({ code: 'hub_already_running' })))
        const connection = await connectToHub(roundAddress, 'cli')
        expect(started[0]!.peers()).toHaveLength(1)
        connection.close()
      } finally {
        await Promise.all(started.map((server) => server.close()))
      }
    }
  })

  it('takes over the start lock of a starter that crashed holding it, well within a proxy\'s wait', async () => {
    const lock = `${address.secretPath}.lock`
    await mkdir(lock)
    const fourSecondsAgo = new Date(Date.now() - 4_000)
    await utimes(lock, fourSecondsAgo, fourSecondsAgo)
    const started = performance.now()
    hub = await startHubServer(address, handlers)
    expect(performance.now() - started).toBeLessThan(3_000)
    expect(existsSync(lock)).toBe(false)
  })

  it('drops a client that keeps asking but stops reading, before its replies pile up', async () => {
    hub = await startHubServer(address, new Map<string, HubHandler>([['big', async () => 'x'.repeat(1024 * 1024)]]))
    const connection = await connectToHub(address, 'dashboard')
    const secret = (await readFile(address.secretPath, 'utf8')).trim()
    connection.close()
    const socket = createConnection(address.socketPath)
    socket.pause()
    socket.on('error', () => undefined)
    socket.write(`${JSON.stringify({ id: 1, method: 'hello', params: { secret, role: 'dashboard', pid: 1 } })}\n`)
    await vi.waitFor(() => expect(hub!.peers()).toHaveLength(1))
    for (let id = 2; id < 40; id += 1) socket.write(`${JSON.stringify({ id, method: 'big' })}\n`)
    await vi.waitFor(() => expect(hub!.peers()).toHaveLength(0), { timeout: 5_000 })
    socket.destroy()
  })

  it('pushes events to admitted clients', async () => {
    hub = await startHubServer(address, handlers)
    const connection = await connectToHub(address, 'dashboard')
    const received = new Promise((resolve) => connection.onEvent(resolve))
    hub.broadcast({ event: 'status', data: { server: 'demo', state: 'signed-in' } })
    expect(await received).toEqual({ event: 'status', data: { server: 'demo', state: 'signed-in' } })
    connection.close()
  })

  it('uses a short socket path when the data folder is too deep for one', () => {
    const deep = join('/tmp', 'x'.repeat(120))
    expect(hubAddressFor(deep).socketPath.length).toBeLessThan(104)
    expect(hubAddressFor('C:\\Users\\me\\AppData', 'win32').socketPath).toMatch(/^\\\\\.\\pipe\\mcp-tray-/)
  })
})
