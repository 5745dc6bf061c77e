import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerAuthRecord } from '../../../src/core/oauth/server-auth-record'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import { Vault } from '../../../src/core/vault/vault'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server'
import { signInBrowserCommand } from '../../fixtures/remote-server/browser-command'
import { readAllFiles } from './engine-harness'
import { stopHub } from '../../support/user-home'

/** The built `mcp-tray` CLI (global setup builds it), driven the way a person would. */
const cli = join(import.meta.dirname, '..', '..', '..', 'out', 'cli', 'index.js')

function run(home: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, MCP_TRAY_HOME: home, BROWSER: signInBrowserCommand() } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('mcp-tray add, login, status, list, logout', () => {
  let server: RemoteServer
  let home: string
  beforeAll(async () => {
    server = await startRemoteServer()
    home = join(await mkdtemp(join(tmpdir(), 'cli-')), 'home')
  })
  afterAll(async () => {
    // `login` starts the hub it signs in through: stop it, and leave no folder behind.
    await stopHub(home)
    await server.close()
    await rm(dirname(home), { recursive: true, force: true })
  })

  it('signs in from the command line and never prints or stores a token in plaintext', async () => {
    // a free callback port for this test: 3334 may be used by a person's MCP Tray
    const added = await run(home, 'add', server.mcpUrl, '--name', 'fx', '--header', 'X-Team: blue-team-key-789', '--client-secret', 'unused-secret-123')
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('Added fx') })
    const { ServerRegistry } = await import('../../../src/core/registry/server-registry')
    const { openConfStore } = await import('../../../src/core/registry/registry-store')
    new ServerRegistry(openConfStore(home)).updateSettings({ callbackPort: 0 })
    // the secrets went to the vault; a pre-registered secret without --client-id is kept but not used
    expect((await run(home, 'list')).stdout).toContain(`fx\t${server.mcpUrl}`)
    expect(await run(home, 'status')).toMatchObject({ stdout: expect.stringContaining('fx\tsigned-out') })

    const login = await run(home, 'login', 'fx')
    expect(login.stderr).toContain('Opening the browser')
    expect(login).toMatchObject({ code: 0, stdout: expect.stringMatching(/Signed in to fx \(expires in \d+ min; scopes: .*mcp:tools/) })
    // the extra header, read back from the vault, went with the sign-in's first request to the server
    expect(server.knobs.requests[0]?.extraHeaders).toMatchObject({ 'x-team': 'blue-team-key-789' })

    const status = await run(home, 'status', '--json')
    const [row] = JSON.parse(status.stdout) as { state: string; scopes: string[] }[]
    expect(row).toMatchObject({ name: 'fx', state: 'signed-in', scopes: expect.arrayContaining(['mcp:tools']) })

    const vault = new Vault(home, await AesGcmFileCipher.open(home))
    const record = await vault.get<ServerAuthRecord>('server:fx')
    const secrets = [record!.tokens!.accessToken, record!.tokens!.refreshToken!, 'unused-secret-123', 'blue-team-key-789']
    for (const output of [added, login, status].flatMap((r) => [r.stdout, r.stderr])) {
      for (const secret of secrets) expect(output).not.toContain(secret)
    }
    for (const file of await readAllFiles(home)) {
      for (const secret of secrets) expect(file.content.includes(secret), `${file.path} holds a secret`).toBe(false)
    }

    const logout = await run(home, 'logout', 'fx')
    expect(logout).toMatchObject({ code: 0, stdout: expect.stringContaining('revoked') })
    expect((await run(home, 'status')).stdout).toContain('fx\tsigned-out')
    expect(await run(home, 'login', 'nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('No server named "nope"') })
  }, 60_000)
})
