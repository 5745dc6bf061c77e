import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommandBrowserOpener } from '../../../src/core/oauth/browser-opener'
import { createOAuthEngine } from '../../../src/core/oauth/oauth-engine'
import { AesGcmFileCipher } from '../../../src/core/vault/aes-gcm-file-cipher'
import type { DoctorReport } from '../../../src/shared/doctor-report'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server'
import { signInBrowserCommand } from '../../fixtures/remote-server/browser-command'
import { runProcess, type ProcessOutcome } from '../../support/run-process'

const cli = join(import.meta.dirname, '..', '..', '..', 'out', 'cli', 'index.js')
let server: RemoteServer
let root: string
let home: string

beforeAll(async () => {
  server = await startRemoteServer()
  root = await mkdtemp(join(tmpdir(), 'doctor-cli-'))
  home = join(root, 'home')
})
afterAll(async () => {
  await server.close()
  await rm(root, { recursive: true, force: true })
})

function doctor(...args: string[]): Promise<ProcessOutcome> {
  const { HTTP_PROXY: _a, HTTPS_PROXY: _b, http_proxy: _c, https_proxy: _d, ...env } = process.env
  return runProcess(process.execPath, [cli, ...args], { ...env, MCP_TRAY_HOME: home, NO_COLOR: '1' })
}

describe('mcp-tray doctor', () => {
  it('prints a table and exits 0 for a healthy URL', async () => {
    const started = performance.now()
    const result = await doctor('doctor', server.mcpUrl)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^✓ Reach the MCP endpoint +Asks for sign-in/m)
    expect(result.stdout).toMatch(/^- Get a token from MCP Tray’s sign-in +Not checked/m)
    expect(result.stdout).toMatch(/^Healthy \(in [\d.]+ m?s\)\.$/m)
    // Not a terminal: no colour.
    expect(result.stdout).not.toContain('\u001b[')
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('exits non-zero and names the path that works for the wrong one', async () => {
    const result = await doctor('doctor', `${server.origin}/`)
    expect(result.code).toBe(2)
    expect(result.stdout).toContain(`Fix: Use ${server.mcpUrl} as the server’s URL.`)
    expect(result.stdout).toMatch(/^Not healthy: not-mcp-endpoint/m)
  })

  it('writes JSON and redacted Markdown', async () => {
    const json = await doctor('doctor', server.mcpUrl, '--json')
    const report = JSON.parse(json.stdout) as DoctorReport
    expect(report).toMatchObject({ healthy: true, url: server.mcpUrl })
    expect(report.steps.map((s) => s.id)).toContain('authorization-request')
    const markdown = await doctor('doctor', `${server.origin}/`, '--markdown')
    expect(markdown.code).toBe(2)
    expect(markdown.stdout).toMatch(/^## MCP Tray doctor: /)
    expect(markdown.stdout).toContain('| Reach the MCP endpoint | FAIL |')
  })

  it('says what is wrong with an unknown name or a URL it cannot use', async () => {
    const unknown = await doctor('doctor', 'no-such-server')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no-such-server/)
    const ftp = await doctor('doctor', 'ftp://example.com/mcp')
    expect(ftp.code).not.toBe(0)
  })

  it('checks a named server signed in, with its headers sent and never shown', async () => {
    const added = await doctor('add', server.mcpUrl, '--name', 'fixture', '--header', 'X-Team-Key: team-secret-value-1234')
    expect(added.code, added.stderr).toBe(0)
    const engine = createOAuthEngine({
      dataDir: home,
      cipher: await AesGcmFileCipher.open(home),
      browser: new CommandBrowserOpener(signInBrowserCommand()),
      settings: { callbackPort: 0, signInTimeoutMs: 20_000 },
    })
    await engine.signIn.run({ name: 'fixture', url: server.mcpUrl })

    const result = await doctor('doctor', 'fixture', '--call-tool', 'whoami')
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^✓ Get a token from MCP Tray’s sign-in +Signed in/m)
    expect(result.stdout).toMatch(/^✓ List the tools +\d+ tools/m)
    expect(result.stdout).toMatch(/^✓ Call a tool +whoami answered/m)
    const sent = server.knobs.requests.filter((r) => r.rpcMethod === 'tools/list')
    expect(sent.at(-1)?.extraHeaders['x-team-key']).toBe('team-secret-value-1234')
    expect(result.stdout + result.stderr).not.toContain('team-secret-value-1234')
  })
})
