import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientConfigs } from '../../../src/core/clients/client-configs'
import { overrideVariable } from '../../../src/core/clients/client-kinds'
import { ConfigGuard, type GuardEvent } from '../../../src/core/clients/config-guard'
import { JsoncDocument } from '../../../src/core/clients/jsonc-document'
import { hostWithFile, tempFolder, testLaunch } from './support/temp-files'

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await sleep(20)
  }
}

describe('ConfigGuard', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>
  let file: string
  let configs: ClientConfigs
  let guard: ConfigGuard | undefined
  const events: GuardEvent[] = []

  /** What Claude Desktop does: write its own idea of the file to a temporary file and rename it over. */
  async function claudeRewrites(text: string): Promise<void> {
    const temporary = `${file}.claude-tmp`
    await writeFile(temporary, text)
    await rename(temporary, file)
  }
  const serverNames = async () => [...JsoncDocument.parse(await readFile(file, 'utf8'), { file, label: 'test' }).servers('mcpServers').keys()]

  beforeEach(async () => {
    folder = await tempFolder()
    file = join(folder.dir, 'Claude', 'claude_desktop_config.json')
    configs = new ClientConfigs({ dataDir: join(folder.dir, 'data'), launch: testLaunch, host: hostWithFile(overrideVariable('claude-desktop'), file, folder.dir) })
    events.length = 0
    await configs.install('claude-desktop', 'kept')
    await configs.install('claude-desktop', 'dropped-by-user')
    await configs.uninstall('claude-desktop', 'dropped-by-user')
    guard = new ConfigGuard({ configs, client: 'claude-desktop', debounceMs: 150, onEvent: (event) => events.push(event) })
    await guard.start()
    await sleep(100)
  })
  afterEach(async () => {
    await guard?.stop()
    await folder.remove()
  })

  it('puts our entries back after Claude rewrites the file without them, keeping what Claude wrote', async () => {
    await claudeRewrites('{\n  "mcpServers": {\n    "theirs": {"command": "x"}\n  },\n  "preferences": {"sidebarMode": "chat"}\n}\n')
    await waitFor(() => events.some((e) => e.type === 'restored'))
    expect(events).toEqual([{ type: 'restored', client: 'claude-desktop', file, keys: ['kept'] }])
    expect(await serverNames()).toEqual(['theirs', 'kept'])
    expect(await readFile(file, 'utf8')).toContain('"preferences": {"sidebarMode": "chat"}')
  })

  it('waits for a burst of writes to settle and then restores once', async () => {
    for (let i = 0; i < 5; i += 1) {
      await claudeRewrites(`{"mcpServers": {}, "preferences": {"n": ${i}}}`)
      await sleep(30)
    }
    await waitFor(() => events.length > 0)
    await sleep(600)
    expect(events).toEqual([{ type: 'restored', client: 'claude-desktop', file, keys: ['kept'] }])
    expect(await readFile(file, 'utf8')).toContain('"preferences": {"n": 4}')
  })

  it('never writes a file that does not parse, and reports it', async () => {
    const corrupt = '{"mcpServers": {'
    await claudeRewrites(corrupt)
    await waitFor(() => events.length > 0)
    expect(events[0]).toMatchObject({ type: 'failed', client: 'claude-desktop' })
    expect(String((events[0] as { error: Error }).error.message)).toMatch(/Nothing was changed/)
    expect(await readFile(file, 'utf8')).toBe(corrupt)
  })

  it('restores a file that was deleted, and stops watching when stopped', async () => {
    await rm(file)
    await waitFor(() => events.length === 1)
    expect(await serverNames()).toEqual(['kept'])
    await guard!.stop()
    await claudeRewrites('{}')
    await sleep(500)
    expect(events).toHaveLength(1)
    expect(await readFile(file, 'utf8')).toBe('{}')
  })
})
