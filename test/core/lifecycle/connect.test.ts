import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { proxiedServer } from '../../../src/core/clients/entry-builder'
import { headersKey, serverKey } from '../../../src/core/oauth/server-auth-record'
import { closedAfterEach } from '../../support/closed-after-each'
import { useFixtureServerPair } from '../../support/fixture-server-pair'
import { freePort } from '../oauth/engine-harness'
import { idleBrowser, lifecycleHarness, stepsOf, type LifecycleHarness } from './lifecycle-harness'

/** The connect use case against the real fixture server, in process: each step, and what each failure leaves. */
describe('connect', () => {
  const fixture = useFixtureServerPair()
  const { codes } = fixture
  const harness = closedAfterEach(lifecycleHarness)

  async function claudeEntries(h: LifecycleHarness): Promise<Record<string, unknown>> {
    return (JSON.parse(await readFile(h.clientFile('claude-desktop'), 'utf8')) as { mcpServers: Record<string, unknown> }).mcpServers
  }

  it('adds, signs in once, writes the entry and says Claude Desktop loads it when it starts', async () => {
    const h = await harness()
    const before = codes()
    const result = await h.lifecycle.connect({ url: fixture.server.mcpUrl, runId: 'run-1' })
    expect(result).toMatchObject({
      server: '127.0.0.1-' + new URL(fixture.server.mcpUrl).port,
      created: true,
      signIn: { state: 'signed-in', scopes: expect.arrayContaining(['mcp:tools']) },
      installed: [{ client: 'claude-desktop', file: h.clientFile('claude-desktop'), changed: true, restartNeeded: false }],
      restartNeeded: [],
      restarted: [],
    })
    expect(codes() - before).toBe(1)
    expect(proxiedServer((await claudeEntries(h))[result.server])).toBe(result.server)
    expect(stepsOf(h.progress)).toEqual(['add running', 'add done', 'sign-in running', 'sign-in done', 'install running', 'install done', 'restart skipped'])
    expect(h.progress.every((p) => p.runId === 'run-1' && p.server === result.server)).toBe(true)
    expect(h.progress.find((p) => p.signInUrl)?.signInUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/)
    expect(h.progress.at(-1)?.message).toBe(`Claude Desktop is not running; it starts ${result.server} when it starts.`)
    expect(h.status.get(result.server).state).toBe('idle')

    // Again: nothing to add, no sign-in, nothing to write.
    h.progress.length = 0
    const again = await h.lifecycle.connect({ url: fixture.server.mcpUrl })
    expect(again).toMatchObject({ created: false, installed: [{ changed: false }] })
    expect(stepsOf(h.progress)).toEqual(['add running', 'add skipped', 'sign-in skipped', 'install running', 'install done', 'restart skipped'])
    expect(codes() - before).toBe(1)
  })

  it('says Claude Desktop must be restarted while it runs, and restarts it when asked', async () => {
    const h = await harness()
    h.claude.running = true
    const result = await h.lifecycle.connect({ url: fixture.server.mcpUrl, name: 'fx', clients: ['claude-desktop', 'cursor'] })
    expect(result.restartNeeded).toEqual(['claude-desktop'])
    expect(result.installed.map((o) => [o.client, o.restartNeeded])).toEqual([['claude-desktop', true], ['cursor', false]])
    expect(h.progress.at(-1)).toMatchObject({ step: 'restart', state: 'skipped', message: expect.stringContaining('Claude Desktop must be restarted to start fx') })
    expect(h.claude.restarts).toBe(0)

    await h.lifecycle.uninstall('fx', 'claude-desktop')
    const restarted = await h.lifecycle.connect({ name: 'fx', restartClient: true })
    expect(restarted).toMatchObject({ restarted: ['claude-desktop'], restartNeeded: [] })
    expect(h.claude.restarts).toBe(1)

    // Where the platform does not allow it, the restart is said, not done.
    h.claude.outcome = { restarted: false, steps: [], message: 'Quit Claude Desktop fully and start it again to load the change.' }
    await h.lifecycle.uninstall('fx', 'claude-desktop')
    expect(await h.lifecycle.connect({ name: 'fx', restartClient: true })).toMatchObject({ restarted: [], restartNeeded: ['claude-desktop'] })
  })

  it('connects a server that needs no sign-in, with its headers in the vault only', async () => {
    const h = await harness()
    const result = await h.lifecycle.connect({ url: fixture.open.mcpUrl, name: 'open', headers: { 'X-Team': 'blue-key-123' } })
    expect(result).toMatchObject({ created: true, signIn: { state: 'signed-out' } })
    expect(h.progress.find((p) => p.step === 'sign-in' && p.state !== 'running')).toMatchObject({ state: 'skipped', message: 'open answers without sign-in.' })
    expect(h.registry.get('open')).toMatchObject({ headerNames: ['X-Team'] })
    expect(await readFile(`${h.dataDir}/registry.json`, 'utf8')).not.toContain('blue-key-123')
    expect(await h.engine.vault.get(headersKey('open'))).toEqual({ headers: { 'X-Team': 'blue-key-123' } })
  })

  it('stops at the add when the server is down, with nothing saved', async () => {
    const h = await harness()
    const down = `http://127.0.0.1:${await freePort()}/mcp`
    const error = await h.lifecycle.connect({ url: down, name: 'down', headers: { 'X-Key': 'k' } }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'server_unreachable',
      message: expect.stringMatching(/^Connect stopped while adding the server: http:\/\/127\.0\.0\.1:\d+\/mcp does not answer: 127\.0\.0\.1:\d+ refused the connection\.$/),
      hint: expect.stringContaining('Check the address and that the server is up'),
    })
    expect(h.progress.at(-1)).toMatchObject({ step: 'add', state: 'failed' })
    expect(h.registry.list()).toEqual([])
    expect(await h.engine.vault.keys()).toEqual([])
  })

  it('undoes the add when the sign-in times out, and leaves no entry', async () => {
    const h = await harness({ browser: idleBrowser, signInTimeoutMs: 1_000 })
    const before = codes()
    const error = await h.lifecycle.connect({ url: fixture.server.mcpUrl, name: 'slow' }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'sign_in_timeout',
      message: 'Connect stopped while signing in: Sign-in to slow was not completed within 1 seconds. slow was not kept.',
      hint: 'Start the sign-in again and finish it in the browser window that opens.',
    })
    expect(stepsOf(h.progress)).toEqual(['add running', 'add done', 'sign-in running', 'sign-in failed'])
    expect(h.registry.list()).toEqual([])
    expect(h.status.list()).toEqual([])
    await expect(readFile(h.clientFile('claude-desktop'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(codes()).toBe(before)
  })

  it('ends the sign-in it started when cancelled, and puts an existing server back as it was', async () => {
    const h = await harness({ browser: idleBrowser })
    h.registry.add({ url: fixture.server.mcpUrl, name: 'kept', timeoutMs: 5_000 })
    const controller = new AbortController()
    const cancelled = await h.lifecycle.connect({ name: 'kept' }, (p) => p.signInUrl && controller.abort(), controller.signal).catch((e: unknown) => e)
    expect(cancelled).toMatchObject({ code: 'connect_cancelled', message: 'Connect stopped while signing in: Connect to kept was cancelled.' })
    expect(h.signIns.isRunning('kept')).toBe(false)
    expect(h.registry.get('kept')).toEqual({ name: 'kept', url: fixture.server.mcpUrl, timeoutMs: 5_000 })
    expect(await h.engine.vault.get(serverKey('kept'))).toBeUndefined()
  })

  it('refuses a client file that does not parse before changing anything, and leaves it untouched', async () => {
    const h = await harness()
    const corrupt = '{ "mcpServers": { "a": 1,, } }\n'
    await mkdir(dirname(h.clientFile('claude-desktop')), { recursive: true })
    await writeFile(h.clientFile('claude-desktop'), corrupt)
    const before = codes()
    const error = await h.lifecycle.connect({ url: fixture.server.mcpUrl, name: 'fx' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ message: expect.stringMatching(/^Connect stopped while adding it to the clients: .*is not valid JSON.*Nothing was changed/) })
    expect(stepsOf(h.progress)).toEqual(['install failed'])
    expect(await readFile(h.clientFile('claude-desktop'), 'utf8')).toBe(corrupt)
    expect(h.registry.list()).toEqual([])
    expect(codes()).toBe(before)
  })

  it('keeps the server signed in when a file breaks during the sign-in, and needs no new sign-in once it is fixed', async () => {
    const file = { path: '' }
    const h = await harness({
      browser: {
        open: async (url) => {
          // The person's editor saves a broken file while they sign in.
          await mkdir(dirname(file.path), { recursive: true })
          await writeFile(file.path, '{ "mcpServers": ')
          const { followSignIn } = await import('../../fixtures/remote-server/sign-in')
          void followSignIn(url)
        },
      },
    })
    file.path = h.clientFile('claude-desktop')
    const before = codes()
    const error = await h.lifecycle.connect({ url: fixture.server.mcpUrl, name: 'fx' }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      message: expect.stringMatching(/^Connect stopped while adding it to the clients: Claude Desktop: /),
      hint: 'fx stays added and signed in. Fix the file, then connect fx again (`mcp-tray connect fx`): no new sign-in is needed.',
    })
    expect(stepsOf(h.progress).slice(-2)).toEqual(['install running', 'install failed'])
    expect(await readFile(file.path, 'utf8')).toBe('{ "mcpServers": ')
    expect((await h.engine.tokens.status('fx')).state).toBe('signed-in')

    await writeFile(file.path, '{}\n')
    h.progress.length = 0
    expect(await h.lifecycle.connect({ name: 'fx' })).toMatchObject({ installed: [{ changed: true }] })
    expect(stepsOf(h.progress)).toContain('sign-in skipped')
    expect(codes() - before).toBe(1)
  })

  it('refuses a name some other entry of the client file already has', async () => {
    const h = await harness()
    await mkdir(dirname(h.clientFile('claude-desktop')), { recursive: true })
    await writeFile(h.clientFile('claude-desktop'), JSON.stringify({ mcpServers: { fx: { command: 'npx', args: ['other'] } } }))
    const error = await h.lifecycle.connect({ url: fixture.server.mcpUrl, name: 'fx' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'client_entry_taken', hint: expect.stringContaining('Choose another name (--name)') })
    expect(h.registry.list()).toEqual([])
  })
})
