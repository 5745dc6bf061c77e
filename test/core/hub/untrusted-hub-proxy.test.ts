import { chmod } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readOrCreateHubSecret } from '../../../src/core/hub/hub-secret'
import { openUserHome, type UserHome } from '../../support/user-home'

describe('a proxy whose hub socket cannot be trusted', () => {
  let home: UserHome | undefined
  afterEach(async () => {
    if (home) await chmod(home.home, 0o700)
    await home?.close()
    home = undefined
  })

  it('sends it nothing, relays with what it has, and says why on stderr', async () => {
    home = await openUserHome({ server: { authRequired: false } })
    // A hub ran here before: the proxy has a secret it could hand to whoever listens on the socket.
    await readOrCreateHubSecret(join(home.home, 'hub.secret'))
    // Another user could now put their own socket where the hub's would be.
    await chmod(home.home, 0o777)
    let impostorConnections = 0
    const impostor = createServer(() => (impostorConnections += 1))
    await new Promise<void>((resolve) => impostor.listen(join(home!.home, 'hub.sock'), resolve))
    const { client, transport } = home.proxy()
    let stderr = ''
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    await client.connect(transport)
    const result = await client.callTool({ name: 'echo', arguments: { text: 'relayed anyway' } })
    expect(JSON.stringify(result)).toContain('relayed anyway')
    await client.close()
    await new Promise((resolve) => impostor.close(resolve))
    expect(impostorConnections).toBe(0)
    expect(stderr).toContain('MCP Tray will not use its hub socket there')
    expect(stderr).toContain('is open to other users (mode 0777)')
    expect(stderr).toContain('chmod 700')
    expect(stderr).toContain('Relaying without MCP Tray')
    expect(stderr.match(/will not use its hub socket/g)).toHaveLength(1)
  })
})
