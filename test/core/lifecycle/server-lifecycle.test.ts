import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { proxiedServer } from '../../../src/core/clients/entry-builder'
import { clientSecretKey, headersKey, serverKey } from '../../../src/core/oauth/server-auth-record'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server'
import { lifecycleHarness, type LifecycleHarness } from './lifecycle-harness'

/** Remove, rename, options, installs and the client list, against the real fixture server. */
describe('the server lifecycle', () => {
  let server: RemoteServer
  const harnesses: LifecycleHarness[] = []
  const harness = async () => {
    const made = await lifecycleHarness()
    harnesses.push(made)
    return made
  }

  beforeAll(async () => {
    server = await startRemoteServer()
  })
  afterAll(() => server.close())
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()))
  })

  async function entriesOf(h: LifecycleHarness, client: 'claude-desktop' | 'cursor'): Promise<Record<string, unknown>> {
    const text = await readFile(h.clientFile(client), 'utf8')
    return (JSON.parse(text) as { mcpServers: Record<string, unknown> }).mcpServers
  }

  it('removes a server: out of every client file, signed out at the server, forgotten with its secrets', async () => {
    const h = await harness()
    await h.lifecycle.connect({ url: server.mcpUrl, name: 'fx', clients: ['claude-desktop', 'cursor'], headers: { 'X-Key': 'v' }, clientSecret: 'unused' })
    await mkdir(dirname(h.clientFile('claude-desktop')), { recursive: true })
    const claude = JSON.parse(await readFile(h.clientFile('claude-desktop'), 'utf8'))
    claude.mcpServers.other = { command: 'npx', args: ['keep-me'] }
    await writeFile(h.clientFile('claude-desktop'), JSON.stringify(claude))
    h.claude.running = true

    const outcome = await h.lifecycle.removeServer('fx')
    expect(outcome).toMatchObject({ server: 'fx', signedOut: true })
    expect(outcome.uninstalled.map((o) => [o.client, o.changed, o.restartNeeded])).toEqual([
      ['claude-desktop', true, true],
      ['cursor', true, false],
    ])
    expect(await entriesOf(h, 'claude-desktop')).toEqual({ other: { command: 'npx', args: ['keep-me'] } })
    expect(await entriesOf(h, 'cursor')).toEqual({})
    expect(server.knobs.authRequests.filter((r) => r.route === 'revocation').length).toBeGreaterThanOrEqual(1)
    expect(h.registry.list()).toEqual([])
    expect(h.status.list()).toEqual([])
    for (const key of [serverKey('fx'), clientSecretKey('fx'), headersKey('fx')]) expect(await h.engine.vault.get(key)).toBeUndefined()
    // The guard never puts a removed entry back.
    expect((await h.configs.restore('claude-desktop')).restored).toEqual([])
    await expect(h.lifecycle.removeServer('fx')).rejects.toMatchObject({ code: 'server_not_found' })
  })

  it('refuses to remove a server whose entry sits in a file that no longer parses, and changes nothing', async () => {
    const h = await harness()
    await h.lifecycle.connect({ url: server.mcpUrl, name: 'fx', clients: ['claude-desktop', 'cursor'] })
    await writeFile(h.clientFile('cursor'), '{ "mcpServers": { "fx": ')
    await expect(h.lifecycle.removeServer('fx')).rejects.toMatchObject({
      code: 'client_config_unreadable',
      message: expect.stringContaining(`Cursor's config file ${h.clientFile('cursor')} cannot be read, and MCP Tray wrote an entry for this server there`),
      hint: expect.stringContaining('Nothing was changed. Fix the file'),
    })
    expect(proxiedServer((await entriesOf(h, 'claude-desktop')).fx)).toBe('fx')
    expect(h.registry.get('fx')).toBeDefined()
    expect((await h.engine.tokens.status('fx')).state).toBe('signed-in')
  })

  it('renames a server: its sign-in, secrets and entries follow, other entries keep their names', async () => {
    const h = await harness()
    await h.lifecycle.connect({ url: server.mcpUrl, name: 'fx', headers: { 'X-Key': 'v' } })
    // An entry with a name of its own (as an import from mcp-remote keeps) starts it too.
    await h.configs.install('cursor', 'fx', { key: 'Linear' })
    const codes = server.knobs.tokenRequests('authorization_code').length

    const view = await h.lifecycle.renameServer('fx', 'team')
    expect(view).toMatchObject({ server: 'team', url: server.mcpUrl, signIn: { state: 'signed-in' }, clients: ['claude-desktop', 'cursor'] })
    expect(Object.keys(await entriesOf(h, 'claude-desktop'))).toEqual(['team'])
    expect(proxiedServer((await entriesOf(h, 'claude-desktop')).team)).toBe('team')
    expect(proxiedServer((await entriesOf(h, 'cursor')).Linear)).toBe('team')
    expect(h.registry.list().map((s) => s.name)).toEqual(['team'])
    expect(await h.engine.vault.get(headersKey('team'))).toEqual({ headers: { 'X-Key': 'v' } })
    expect(await h.engine.vault.get(serverKey('fx'))).toBeUndefined()
    expect((await h.lifecycle.connect({ name: 'team' })).signIn.state).toBe('signed-in')
    expect(server.knobs.tokenRequests('authorization_code').length).toBe(codes)
    // The old name is no entry the guard puts back.
    expect((await h.configs.restore('claude-desktop')).restored).toEqual([])

    h.registry.add({ url: `${server.origin}/other`, name: 'taken' })
    await expect(h.lifecycle.renameServer('team', 'taken')).rejects.toMatchObject({ code: 'server_name_taken' })
    await expect(h.lifecycle.renameServer('team', 'no spaces')).rejects.toMatchObject({ code: 'server_name_invalid' })
  })

  it('puts every file back when one refuses the new name', async () => {
    const h = await harness()
    await h.lifecycle.connect({ url: server.mcpUrl, name: 'fx', clients: ['claude-desktop', 'cursor'] })
    const cursor = await entriesOf(h, 'cursor')
    await writeFile(h.clientFile('cursor'), JSON.stringify({ mcpServers: { ...cursor, team: { command: 'npx', args: ['theirs'] } } }))
    await expect(h.lifecycle.renameServer('fx', 'team')).rejects.toMatchObject({ code: 'client_entry_taken' })
    expect(Object.keys(await entriesOf(h, 'claude-desktop'))).toEqual(['fx'])
    expect(h.registry.get('fx')).toBeDefined()
  })

  it('changes options: null removes one, header values go to the vault, the whole entry is checked first', async () => {
    const h = await harness()
    h.registry.add({ url: server.mcpUrl, name: 'fx', scope: 'mcp:tools' })
    const view = await h.lifecycle.updateServer('fx', { timeoutMs: 90_000, scope: null, headers: { 'X-Team': 'blue' }, clientSecret: 's3cret' })
    expect(view.options).toEqual({ timeoutMs: 90_000, headerNames: ['X-Team'] })
    expect(h.registry.get('fx')).toEqual({ name: 'fx', url: server.mcpUrl, timeoutMs: 90_000, headerNames: ['X-Team'] })
    expect(await h.engine.vault.get(headersKey('fx'))).toEqual({ headers: { 'X-Team': 'blue' } })
    expect(await h.engine.vault.get(clientSecretKey('fx'))).toEqual({ clientSecret: 's3cret' })

    const cleared = await h.lifecycle.updateServer('fx', { headers: {}, clientSecret: null, timeoutMs: null })
    expect(cleared.options).toEqual({})
    expect(await h.engine.vault.get(headersKey('fx'))).toBeUndefined()
    expect(await h.engine.vault.get(clientSecretKey('fx'))).toBeUndefined()
    await expect(h.lifecycle.updateServer('fx', { timeoutMs: -1 })).rejects.toMatchObject({ code: 'server_invalid' })
    expect(h.registry.get('fx')).toEqual({ name: 'fx', url: server.mcpUrl })
  })

  it('installs and uninstalls one client, and lists every client with its servers and problems', async () => {
    const h = await harness()
    h.registry.add({ url: server.mcpUrl, name: 'fx' })
    expect(await h.lifecycle.install('fx', 'vscode')).toMatchObject({ client: 'vscode', changed: true, restartNeeded: false })
    expect(await h.lifecycle.install('fx', 'vscode')).toMatchObject({ changed: false })
    await mkdir(dirname(h.clientFile('cursor')), { recursive: true })
    await writeFile(h.clientFile('cursor'), '{ oops')
    h.registry.updateSettings({ enabledClients: ['windsurf'] })

    const clients = await h.lifecycle.listClients()
    expect(clients.map((c) => [c.id, c.enabled, c.exists, c.servers])).toEqual([
      ['claude-desktop', true, false, []],
      ['cursor', false, true, []],
      ['vscode', false, true, ['fx']],
      ['windsurf', true, false, []],
      ['claude-code', false, false, []],
    ])
    expect(clients.find((c) => c.id === 'cursor')?.problem).toContain('is not valid JSON')
    expect(clients[0]).toMatchObject({ displayName: 'Claude Desktop', file: h.clientFile('claude-desktop'), reloadAdvice: expect.stringContaining('Quit Claude Desktop fully') })

    expect(await h.lifecycle.uninstall('fx', 'vscode')).toMatchObject({ client: 'vscode', changed: true })
    expect(await h.lifecycle.uninstall('fx', 'vscode')).toMatchObject({ changed: false })
    await expect(h.lifecycle.install('nope', 'vscode')).rejects.toMatchObject({ code: 'server_not_found' })
  })

  it('signs in and out as a person, and the status board hears of both', async () => {
    const h = await harness()
    h.registry.add({ url: server.mcpUrl, name: 'fx' })
    expect(await h.lifecycle.signIn('fx')).toMatchObject({ state: 'signed-in', issuer: server.issuer })
    expect(await h.lifecycle.signOut('fx')).toEqual({ revoked: true })
    expect((await h.engine.tokens.status('fx')).state).toBe('signed-out')
    expect(h.status.get('fx').state).toBe('idle')
    await expect(h.lifecycle.signOut('nope')).rejects.toMatchObject({ code: 'server_not_found' })
  })
})
