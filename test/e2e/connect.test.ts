import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { describe, expect, it, vi } from 'vitest'
import { freePort } from '../core/oauth/engine-harness'
import { closedAfterEach } from '../support/closed-after-each'
import { useFixtureServerPair } from '../support/fixture-server-pair'
import { addressIn, noBrowser, openTrayHome, type TrayHome } from './tray-home'

/**
 * `mcp-tray connect` as a person types it, through the hub it starts: one command to a working
 * Claude Desktop entry, then the rest of the server's life (rename, remove) and `stop`; and what
 * each failure leaves behind.
 */
describe('mcp-tray connect', () => {
  const fixture = useFixtureServerPair()
  const { codes } = fixture
  const home = closedAfterEach(openTrayHome)

  /** Spawns the entry exactly as Claude Desktop does (its own environment plus the entry's) and lists the tools. */
  async function toolsThroughEntry(h: TrayHome, name: string): Promise<string[]> {
    const entry = (await h.claudeEntries())[name]!
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...getDefaultEnvironment(), ...entry.env }, stderr: 'pipe' })
    let stderr = ''
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' })
    try {
      await client.connect(transport)
      return (await client.listTools()).tools.map((tool) => tool.name).sort()
    } catch (error) {
      throw new Error(`the entry's proxy failed: ${String(error)}; its stderr: ${stderr}`)
    } finally {
      await client.close()
    }
  }

  it('connects in one command, signing in once; the entry runs with no second sign-in; rename and remove follow; stop ends the hub', async () => {
    const h = await home()
    const before = codes()
    const connected = await h.run(['connect', fixture.server.mcpUrl, '--name', 'fixture'])
    expect(connected.stderr).toMatch(/^… Adding http:\/\/127\.0\.0\.1:\d+\/mcp as fixture…\n✓ Added fixture \(http:\/\/127\.0\.0\.1:\d+\/mcp\)\.\n… Signing in to fixture…\n {2}Opening the browser to sign in to fixture at http:\/\/127\.0\.0\.1:\d+\. If no browser opens, visit:\n {2}http:\/\/127\.0\.0\.1:\d+\/auth\?\S+\n/)
    expect(connected.stderr).toMatch(/\n {2}Signed in to fixture\.\n✓ Signed in to fixture \(scopes: [^)]*mcp:tools[^)]*\)\.\n… Adding fixture to Claude Desktop…\n/)
    expect(connected.stderr).toContain(`\n  Claude Desktop now starts fixture through MCP Tray (${h.clientFile('claude-desktop')}).\n✓ fixture is in Claude Desktop.\n- Claude Desktop is not running; it starts fixture when it starts.\n`)
    expect(connected).toMatchObject({ code: 0, stdout: 'Connected fixture: signed in (expires in 60 min); Claude Desktop starts it through MCP Tray.\n' })
    expect(codes() - before).toBe(1)

    expect(await toolsThroughEntry(h, 'fixture')).toContain('whoami')
    expect(codes() - before).toBe(1)
    expect(fixture.server.knobs.requests.filter((r) => r.path === '/mcp' && r.status === 401 && r.rpcMethod !== 'initialize')).toEqual([])

    const renamed = await h.run(['rename', 'fixture', 'team'])
    expect(renamed).toMatchObject({ code: 0, stdout: expect.stringContaining('Renamed fixture to team.\nIts entries follow in Claude Desktop;') })
    expect(Object.keys(await h.claudeEntries())).toEqual(['team'])
    expect(await toolsThroughEntry(h, 'team')).toContain('whoami')
    expect(codes() - before).toBe(1)

    const set = await h.run(['set', 'team', '--timeout', '90000', '--header', 'X-Team: blue'])
    expect(set).toMatchObject({ code: 0, stdout: expect.stringContaining('timeout: 90000 ms\n  scope: as the server asks\n  headers: X-Team\n') })
    const redirect = await h.run(['set', 'team', '--redirect-uri', 'http://localhost:3334/oauth/callback', '--audience', 'https://api.example'])
    expect(redirect).toMatchObject({ code: 0, stdout: expect.stringContaining('  redirect URI: http://localhost:3334/oauth/callback\n  audience: https://api.example\nSign in again') })
    expect(await h.run(['set', 'team', '--redirect-uri', 'http://evil.example/cb'])).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot be the sign-in redirect URI') })

    const removed = await h.run(['remove', 'team'])
    expect(removed).toMatchObject({ code: 0, stdout: `Removed team, signed out.\n  taken out of Claude Desktop (${h.clientFile('claude-desktop')}; the previous file is saved as ${removed.stdout.split('saved as ')[1]?.split(')')[0]})\n` })
    expect(await h.claudeEntries()).toEqual({})
    expect((await h.run(['list'])).stdout).toBe('No servers yet. Add one with: mcp-tray add <url>\n')

    const pid = await h.hubPid()
    expect(pid).toBeDefined()
    expect(await h.run(['stop'])).toMatchObject({ code: 0, stdout: `Stopped MCP Tray (process ${pid}).\n` })
    expect(await h.hubPid()).toBeUndefined()
    expect(await h.run(['stop'])).toMatchObject({ code: 0, stdout: 'MCP Tray is not running.\n' })
  }, 60_000)

  it('says which step failed, why and what to do, and leaves nothing half-made', async () => {
    // The hub this home starts opens no browser and gives a sign-in 2 s.
    const h = await home({ signInTimeoutMs: 2_000 })
    const before = codes()

    const down = await h.run(['connect', `http://127.0.0.1:${await freePort()}/mcp`], noBrowser)
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(/mcp-tray: Connect stopped while adding the server: http:\/\/127\.0\.0\.1:\d+\/mcp does not answer: 127\.0\.0\.1:\d+ refused the connection\. Check the address and that the server is up/)

    const timedOut = await h.run(['connect', fixture.server.mcpUrl, '--name', 'slow'], noBrowser)
    expect(timedOut.code).toBe(1)
    expect(addressIn(timedOut.stderr)).toBeDefined()
    expect(timedOut.stderr).toContain('mcp-tray: Connect stopped while signing in: Sign-in to slow was not completed within 2 seconds. slow was not kept. Start the sign-in again')

    await mkdir(dirname(h.clientFile('claude-desktop')), { recursive: true })
    const corrupt = '{\n  "mcpServers": {\n    "a": 1,,\n  }\n}\n'
    await writeFile(h.clientFile('claude-desktop'), corrupt)
    const broken = await h.run(['connect', fixture.server.mcpUrl, '--name', 'fixture'], noBrowser)
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/^mcp-tray: Connect stopped while adding it to the clients: .* is not valid JSON: a property name \(in double quotes\) is expected at line 3, column 12\. Nothing was changed\./m)
    expect(await readFile(h.clientFile('claude-desktop'), 'utf8')).toBe(corrupt)

    expect((await h.run(['list'])).stdout).toBe('No servers yet. Add one with: mcp-tray add <url>\n')
    expect(codes()).toBe(before)
  }, 60_000)

  it('cancels on Ctrl+C: the sign-in it started ends and the server is not kept', async () => {
    const h = await home()
    const connecting = h.start(['connect', fixture.server.mcpUrl, '--name', 'later'], noBrowser)
    await vi.waitFor(() => expect(addressIn(connecting.stderr())).toBeDefined(), { timeout: 10_000, interval: 50 })
    connecting.child.kill('SIGINT')
    expect(await connecting.exited).toBe(1)
    expect(connecting.stderr()).toContain('mcp-tray: Connect stopped while signing in: Connect to later was cancelled. later was not kept. Connect again when you are ready.')
    expect((await h.run(['list'])).stdout).toBe('No servers yet. Add one with: mcp-tray add <url>\n')
    // The callback the browser would have come back to is closed.
    const address = new URL(addressIn(connecting.stderr())!)
    const callback = new URL(address.searchParams.get('redirect_uri')!)
    await expect(fetch(callback, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()
  }, 30_000)

  it('shows and changes the settings through the hub: Connect adds to the enabled clients, proxies use the default timeout', async () => {
    const h = await home()
    const shown = await h.run(['settings'])
    expect(shown).toMatchObject({ code: 0, stdout: expect.stringContaining('idleStopMinutes = 5\t# a hub a proxy started stops after this many minutes with nothing needing it\n') })

    const changed = await h.run(['settings', 'defaultTimeoutMs=800', 'enabledClients=cursor,vscode', 'proxyUrl='])
    expect(changed.code, changed.stderr).toBe(0)
    expect(changed.stdout).toContain('defaultTimeoutMs = 800\t#')
    expect(changed.stdout).toContain('enabledClients = cursor,vscode\t#')
    for (const [args, words] of [
      [['settings', 'callbackPort=abc'], 'mcp-tray: callbackPort takes a number, not "abc".'],
      [['settings', 'colour=blue'], 'mcp-tray: "colour=blue" names no setting.'],
      [['settings', 'idleStopMinutes=0'], 'mcp-tray: The setting idleStopMinutes cannot be 0'],
      [['settings', 'startAtLogin=true'], 'mcp-tray: Start at login is a setting of the desktop app.'],
    ] as const) {
      const refused = await h.run(args)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain(words)
    }

    const connected = await h.run(['connect', fixture.open.mcpUrl, '--name', 'open'])
    expect(connected).toMatchObject({ code: 0, stdout: 'Connected open: no sign-in needed; Claude Desktop, Cursor, VS Code start it through MCP Tray.\n' })
    const vscode = JSON.parse(await readFile(h.clientFile('vscode'), 'utf8')) as { servers: Record<string, unknown> }
    expect(Object.keys(vscode.servers)).toEqual(['open'])

    const entry = (await h.claudeEntries()).open!
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...getDefaultEnvironment(), ...entry.env }, stderr: 'pipe' })
    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' })
    await client.connect(transport)
    try {
      const startedAt = Date.now()
      const slow = await client.callTool({ name: 'slow', arguments: { ms: 5_000 } }, undefined, { timeout: 10_000 }).catch((error: unknown) => error)
      expect(String(slow)).toContain('did not answer tools/call within 0.8 s')
      expect(Date.now() - startedAt).toBeLessThan(3_000)
    } finally {
      await client.close()
    }
  }, 60_000)
})
