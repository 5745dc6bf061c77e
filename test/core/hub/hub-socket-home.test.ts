import { chmod, chown, mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hubAddressFor, hubListenPath, type HubAddressEnvironment } from '../../../src/core/hub/hub-address'
import { connectToHub } from '../../../src/core/hub/hub-client'
import { readOrCreateHubSecret } from '../../../src/core/hub/hub-secret'
import { startHubServer, type HubServer } from '../../../src/core/hub/hub-server'

const nobody = 65534
const asRoot = process.getuid?.() === 0
const handlers = new Map([['echo', async (params: unknown) => params]])

describe('the hub socket lives only in a private folder of this user', () => {
  let dir: string
  let hub: HubServer | undefined
  const impostors: Server[] = []

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcp-tray-home-'))
  })
  afterEach(async () => {
    await hub?.close()
    hub = undefined
    await Promise.all(impostors.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
    await rm(dir, { recursive: true, force: true })
  })

  /** An environment whose temp dir is the test's own, and no runtime dir unless given. */
  function environment(env: NodeJS.ProcessEnv = {}): HubAddressEnvironment {
    return { platform: 'linux', env, tmpdir: join(dir, 'tmp'), uid: process.getuid!() }
  }
  const deepDataDir = (): string => join(dir, 'data', 'x'.repeat(110))

  /** A server standing where the hub's socket should be, that records whatever a client sends it. */
  async function impostorAt(socketPath: string): Promise<{ received: () => number; connections: () => number }> {
    let received = 0
    let connections = 0
    const server = createServer((socket) => {
      connections += 1
      socket.on('data', (chunk) => (received += chunk.length))
    })
    impostors.push(server)
    await new Promise<void>((resolve) => server.listen(socketPath, resolve))
    return { received: () => received, connections: () => connections }
  }

  it('keeps a too-long data folder\'s socket out of the shared temp dir: in a 0700 folder of its own', async () => {
    await mkdir(join(dir, 'tmp'))
    const address = hubAddressFor(deepDataDir(), environment())
    expect(address.socketPath).toBe(join(dir, 'tmp', `mcp-tray-${process.getuid!()}`, `${address.socketPath.split('/').pop()}`))
    await mkdir(deepDataDir(), { recursive: true, mode: 0o700 })
    hub = await startHubServer(address, handlers)
    expect((await stat(dirname(address.socketPath))).mode & 0o777).toBe(0o700)
    const connection = await connectToHub(address, 'cli')
    expect(await connection.call('echo', 'hi')).toBe('hi')
    connection.close()
  })

  it('uses $XDG_RUNTIME_DIR when it is ours and private, and not otherwise', async () => {
    const runtime = join(dir, 'run')
    await mkdir(runtime, { mode: 0o700 })
    expect(dirname(hubAddressFor(deepDataDir(), environment({ XDG_RUNTIME_DIR: runtime })).socketPath)).toBe(runtime)
    await chmod(runtime, 0o755)
    expect(dirname(hubAddressFor(deepDataDir(), environment({ XDG_RUNTIME_DIR: runtime })).socketPath)).not.toBe(runtime)
  })

  it('refuses a socket folder open to other users: the hub does not start there, a client sends no secret there', async () => {
    await mkdir(join(dir, 'tmp'))
    const address = hubAddressFor(deepDataDir(), environment())
    await mkdir(deepDataDir(), { recursive: true, mode: 0o700 })
    await readOrCreateHubSecret(address.secretPath)
    await mkdir(dirname(address.socketPath), { mode: 0o777 })
    await chmod(dirname(address.socketPath), 0o777)
    const impostor = await impostorAt(address.socketPath)
    const refusal = { code: 'hub_socket_untrusted', message: expect.stringMatching(/open to other users \(mode 0777\)/), hint: expect.stringMatching(/chmod 700/) }
    await expect(connectToHub(address, 'proxy')).rejects.toMatchObject(refusal)
    expect(impostor.connections()).toBe(0)
    await expect(startHubServer(address, handlers)).rejects.toMatchObject(refusal)
  })

  it('says so at once, without looking for a hub to start, when no hub has run yet', async () => {
    await chmod(dir, 0o757)
    await expect(connectToHub(hubAddressFor(dir), 'proxy')).rejects.toMatchObject({ code: 'hub_socket_untrusted' })
    await chmod(dir, 0o700)
    await expect(connectToHub(hubAddressFor(dir), 'proxy')).rejects.toMatchObject({ code: 'hub_unavailable' })
  })

  it('refuses a data folder another user could write, for the socket inside it too', async () => {
    const address = hubAddressFor(dir)
    hub = await startHubServer(address, handlers)
    await chmod(dir, 0o757)
    await expect(connectToHub(address, 'cli')).rejects.toMatchObject({ code: 'hub_socket_untrusted' })
    await chmod(dir, 0o700)
    const connection = await connectToHub(address, 'cli')
    connection.close()
  })

  it.skipIf(!asRoot)('refuses a socket folder made by another user, and a socket file of another user', async () => {
    await mkdir(join(dir, 'tmp'))
    const address = hubAddressFor(deepDataDir(), environment())
    await mkdir(deepDataDir(), { recursive: true, mode: 0o700 })
    await readOrCreateHubSecret(address.secretPath)
    const folder = dirname(address.socketPath)
    await mkdir(folder, { mode: 0o700 })
    const impostor = await impostorAt(address.socketPath)
    await chown(folder, nobody, nobody)
    const refusal = { code: 'hub_socket_untrusted', message: expect.stringMatching(new RegExp(`belongs to another user \\(uid ${nobody}\\)`)), hint: expect.stringMatching(/remove it/) }
    await expect(connectToHub(address, 'proxy')).rejects.toMatchObject(refusal)
    await expect(startHubServer(address, handlers)).rejects.toMatchObject(refusal)
    await chown(folder, 0, 0)
    await chown(address.socketPath, nobody, nobody)
    await expect(connectToHub(address, 'proxy')).rejects.toMatchObject({ code: 'hub_socket_untrusted', message: expect.stringMatching(/hub\.sock|\.sock belongs to another user/) })
    expect(impostor.connections()).toBe(0)
    expect(impostor.received()).toBe(0)
  })

  it('refuses a socket folder that is a link in a folder others can change', async () => {
    const shared = join(dir, 'tmp')
    await mkdir(shared, { mode: 0o777 })
    await chmod(shared, 0o1777)
    const address = hubAddressFor(deepDataDir(), environment())
    await mkdir(deepDataDir(), { recursive: true, mode: 0o700 })
    const elsewhere = join(dir, 'elsewhere')
    await mkdir(elsewhere, { mode: 0o700 })
    await symlink(elsewhere, dirname(address.socketPath))
    await expect(startHubServer(address, handlers)).rejects.toMatchObject({ code: 'hub_socket_untrusted', message: expect.stringMatching(/is a link/) })
  })

  it('names a Windows pipe after the secret, which only this user can read, so nobody can take the name first', () => {
    const address = hubAddressFor('C:\\Users\\me\\AppData\\Roaming\\MCP Tray', 'win32')
    expect(address.socketPath).toMatch(/^\\\\\.\\pipe\\mcp-tray-[0-9a-f]{16}$/)
    const one = hubListenPath(address, 'secret-one')
    expect(one).toMatch(/^\\\\\.\\pipe\\mcp-tray-[0-9a-f]{16}-[0-9a-f]{32}$/)
    expect(hubListenPath(address, 'secret-two')).not.toBe(one)
    expect(hubListenPath(hubAddressFor(dir), 'secret-one')).toBe(join(dir, 'hub.sock'))
  })
})
