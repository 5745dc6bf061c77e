import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/**
 * electron-builder.yml, read and validated by electron-builder's own code and schema, without
 * packaging anything (that needs downloads).
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(import.meta.url)
const appBuilderLib = require.resolve('app-builder-lib/package.json')
const { getConfig, validateConfiguration } = require(join(dirname(appBuilderLib), 'out/util/config/config.js')) as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Record<string, any>>
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>
}
const { DebugLogger } = createRequire(appBuilderLib)('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const png = readFileSync(file)
  return [png.readUInt32BE(16), png.readUInt32BE(20)]
}

describe('electron-builder.yml', () => {
  it('matches the schema of the electron-builder we pin', async () => {
    const config = await getConfig(repo, null, null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('keeps the runAsNode fuse on, which the proxy needs', async () => {
    const config = await getConfig(repo, null, null)
    expect(config.electronFuses.runAsNode).toBe(true)
  })

  it('finds the app icon in the build resources, at 512x512', async () => {
    const config = await getConfig(repo, null, null)
    expect(pngSize(join(repo, config.directories.buildResources, config.icon))).toEqual([512, 512])
  })
})
