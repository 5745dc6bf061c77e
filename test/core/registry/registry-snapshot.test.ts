import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findProxyTarget } from '../../../src/core/proxy/proxy-target'
import { readRegistrySnapshot } from '../../../src/core/registry/registry-snapshot'
import { openConfStore } from '../../../src/core/registry/registry-store'
import { ServerRegistry } from '../../../src/core/registry/server-registry'

describe('readRegistrySnapshot', () => {
  it('reads what the registry wrote, without conf, and finds servers by name or URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-'))
    new ServerRegistry(openConfStore(dir)).add({ url: 'https://mcp.linear.app/mcp', name: 'linear', timeoutMs: 5_000, headerNames: ['X-Team'] })
    const snapshot = new ServerRegistry(await readRegistrySnapshot(dir))
    const linear = { name: 'linear', url: new URL('https://mcp.linear.app/mcp'), timeoutMs: 5_000, headerNames: ['X-Team'] }
    expect(findProxyTarget('linear', snapshot)).toEqual(linear)
    expect(findProxyTarget('HTTPS://MCP.LINEAR.APP/mcp', snapshot)).toEqual(linear)
    expect(findProxyTarget('https://other.example/mcp', snapshot)).toBeUndefined()
    expect(() => snapshot.add({ url: 'https://other.example/mcp' })).toThrow(/read-only/)
  })

  it('reads a missing or damaged file as empty, leaving the reporting to whoever writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'registry-'))
    expect(new ServerRegistry(await readRegistrySnapshot(dir)).list()).toEqual([])
    await writeFile(join(dir, 'registry.json'), '{"servers": [')
    expect(new ServerRegistry(await readRegistrySnapshot(dir)).list()).toEqual([])
  })
})
