import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ClientConfigs } from '../../../src/core/clients/client-configs'
import { overrideVariable } from '../../../src/core/clients/client-kinds'
import { JsoncDocument } from '../../../src/core/clients/jsonc-document'
import { runProcess } from '../../support/run-process'
import { hostWithFile, tempFolder, testLaunch } from './support/temp-files'

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx')
const script = join(import.meta.dirname, 'support', 'install-entry.ts')
const writers = 8

describe('concurrent writers', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>
  beforeEach(async () => {
    folder = await tempFolder()
  })
  afterEach(() => folder.remove())

  it(`loses no entry when ${writers} processes add one each at the same time`, async () => {
    const file = join(folder.dir, 'Claude', 'claude_desktop_config.json')
    const dataDir = join(folder.dir, 'data')
    await mkdir(join(folder.dir, 'Claude'))
    await writeFile(file, '{\n  // keep me\n  "mcpServers": {},\n  "preferences": {"x": 1}\n}\n')
    const env = { ...process.env, [overrideVariable('claude-desktop')]: file }
    const names = Array.from({ length: writers }, (_, i) => `server-${i}`)

    const results = await Promise.all(names.map((name) => runProcess(tsx, [script, dataDir, name], env)))
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 })

    const text = await readFile(file, 'utf8')
    const document = JsoncDocument.parse(text, { file, label: 'test' })
    expect([...document.servers('mcpServers').keys()].sort()).toEqual([...names].sort())
    expect(text).toContain('// keep me')
    expect(text).toContain('"preferences": {"x": 1}')
    const configs = new ClientConfigs({ dataDir, launch: testLaunch, host: hostWithFile(overrideVariable('claude-desktop'), file, folder.dir) })
    const ledger = await configs.ledger.records('claude-desktop', file)
    expect(ledger.map((r) => r.key).sort()).toEqual([...names].sort())
  }, 60_000)
})
