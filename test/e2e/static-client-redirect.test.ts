import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { overrideVariable } from '../../src/core/clients/client-kinds'
import { startRemoteServer, type RemoteServer } from '../fixtures/remote-server'
import { signInBrowserCommand } from '../fixtures/remote-server/browser-command'
import { freePort } from '../core/oauth/engine-harness'
import { runProcess } from '../support/run-process'

/** The built CLI (see test/global-setup.ts). */
const cli = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')

/**
 * A client an administrator registered once by hand, for mcp-remote's redirect URI
 * `http://localhost:<port>/oauth/callback` only (3334 in real life; a free port here), at a real
 * authorization server (oidc-provider) that refuses any other redirect URI.
 */
describe('a static client registered only for http://localhost:<port>/oauth/callback', () => {
  let server: RemoteServer
  let folder: string
  const ports: { byHand: number; imported: number } = { byHand: 0, imported: 0 }
  const registered = (port: number) => `http://localhost:${port}/oauth/callback`

  beforeAll(async () => {
    ports.byHand = await freePort()
    ports.imported = await freePort()
    const client = (id: string, port: number) => ({
      client_id: id,
      application_type: 'native' as const,
      token_endpoint_auth_method: 'none' as const,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code' as const],
      redirect_uris: [registered(port)],
    })
    server = await startRemoteServer({ clients: [client('by-hand', ports.byHand), client('from-mcp-remote', ports.imported)] })
    folder = await mkdtemp(join(tmpdir(), 'static-client-'))
  })
  afterAll(async () => {
    await server.close()
    await rm(folder, { recursive: true, force: true })
  })

  function mcpTray(home: string, ...args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, MCP_TRAY_HOME: home, BROWSER: signInBrowserCommand() }
    for (const client of ['claude-desktop', 'cursor', 'vscode', 'windsurf', 'claude-code'] as const) env[overrideVariable(client)] = join(folder, `${client}.json`)
    return runProcess(process.execPath, [cli, ...args], env)
  }

  it('signs in when added by hand with --client-id and --redirect-uri', async () => {
    const home = join(folder, 'by-hand')
    const added = await mcpTray(home, 'add', server.mcpUrl, '--name', 'corp', '--client-id', 'by-hand', '--redirect-uri', registered(ports.byHand))
    expect(added.code, added.stderr).toBe(0)
    const login = await mcpTray(home, 'login', 'corp')
    expect(login.code, login.stderr).toBe(0)
    expect(login.stdout).toContain('Signed in to corp')
    expect(login.stderr).toContain(`redirect_uri=${encodeURIComponent(registered(ports.byHand))}`)

    const refused = await mcpTray(home, 'add', server.mcpUrl, '--redirect-uri', 'https://localhost:3334/oauth/callback')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('a loopback redirect URI uses http (RFC 8252 §7.3)')
  }, 60_000)

  it('signs in when imported from an mcp-remote entry that gave the port as its argument', async () => {
    const home = join(folder, 'imported')
    const claude = join(folder, 'claude-desktop.json')
    await mkdir(folder, { recursive: true })
    const entry = {
      command: 'npx',
      args: ['-y', 'mcp-remote', server.mcpUrl, String(ports.imported), '--static-oauth-client-info', '{"client_id":"from-mcp-remote"}'],
    }
    await writeFile(claude, JSON.stringify({ mcpServers: { 'Corp MCP': entry } }, null, 2))
    const imported = await mcpTray(home, 'import-mcp-remote', '--client', 'claude-desktop')
    expect(imported.code, imported.stderr).toBe(0)
    const host = process.platform === 'win32' ? '127.0.0.1' : 'localhost'
    expect(imported.stdout).toContain(`sign-in redirect http://${host}:${ports.imported}/oauth/callback`)
    expect(JSON.parse(await readFile(join(home, 'registry.json'), 'utf8')).servers).toMatchObject([
      { name: 'Corp-MCP', clientId: 'from-mcp-remote', redirect: { host, port: ports.imported } },
    ])
    const login = await mcpTray(home, 'login', 'Corp-MCP')
    if (host !== 'localhost') return // the fixture registered the localhost form only
    expect(login.code, login.stderr).toBe(0)
    expect(login.stdout).toContain('Signed in to Corp-MCP')
  }, 60_000)
})
