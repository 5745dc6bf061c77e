import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listBackups, writeBackup } from '../../../src/core/clients/backups'
import { tempFolder } from './support/temp-files'

describe('backups', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>
  beforeEach(async () => {
    folder = await tempFolder()
  })
  afterEach(() => folder.remove())

  it('keeps copies made in the same millisecond apart and in order, and ignores other files', async () => {
    const policy = { dir: join(folder.dir, 'backups'), label: 'mcp.json', keep: 2 }
    const at = new Date(Date.UTC(2026, 4, 1, 12, 0, 0, 5))
    for (const text of ['one', 'two', 'three']) await writeBackup(text, policy, at)
    await writeFile(join(policy.dir, 'mcp.json.notes.txt'), 'not a backup')
    await writeFile(join(policy.dir, 'other.json.2026-05-01T12-00-00-005Z.bak'), 'another file')
    const kept = await listBackups(policy)
    expect(kept.map((path) => path.slice(policy.dir.length + 1))).toEqual(['mcp.json.2026-05-01T12-00-00-005Z.1.bak', 'mcp.json.2026-05-01T12-00-00-005Z.2.bak'])
    expect(await Promise.all(kept.map((path) => readFile(path, 'utf8')))).toEqual(['two', 'three'])
  })
})
