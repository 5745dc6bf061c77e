import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const srcDir = join(import.meta.dirname, '..', '..', 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

describe('TrayError codes', () => {
  it('are snake_case, like the OAuth error codes they sit beside (invalid_grant, insufficient_scope)', () => {
    const offending: string[] = []
    for (const file of sourceFiles(srcDir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/new TrayError\(\s*'([^']*)'/g)) {
        if (!/^[a-z]+(_[a-z0-9]+)*$/.test(match[1]!)) offending.push(`${file}: ${match[1]}`)
      }
    }
    expect(offending).toEqual([])
  })
})
