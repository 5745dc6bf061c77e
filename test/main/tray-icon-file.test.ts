import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { trayIconFile, type TrayState } from '../../src/main/tray-icon-file'

const resources = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources')
const states: readonly TrayState[] = ['idle', 'connected', 'attention', 'error']

function pngSize(file: string): [number, number] {
  const png = readFileSync(file)
  return [png.readUInt32BE(16), png.readUInt32BE(20)]
}

describe('trayIconFile', () => {
  it.each(['darwin', 'win32', 'linux'] as const)('names a 16x16 icon with a 32x32 @2x sibling for every state on %s', (platform) => {
    for (const state of states) {
      const file = trayIconFile(state, platform, resources)
      expect(existsSync(file), file).toBe(true)
      expect(pngSize(file)).toEqual([16, 16])
      expect(pngSize(file.replace(/\.png$/, '@2x.png'))).toEqual([32, 32])
    }
  })

  it('gives macOS the template images and the others the colored ones', () => {
    expect(trayIconFile('idle', 'darwin', resources)).toBe(join(resources, 'tray', 'idleTemplate.png'))
    expect(trayIconFile('error', 'win32', resources)).toBe(join(resources, 'tray', 'error.png'))
  })
})
