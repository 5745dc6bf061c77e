import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openConfStore } from '../../../src/core/registry/registry-store'
import { ServerRegistry } from '../../../src/core/registry/server-registry'
import { defaultSettings } from '../../support/memory-registry'

async function registry(): Promise<{ registry: ServerRegistry; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-'))
  return { registry: new ServerRegistry(openConfStore(dir)), dir }
}

describe('ServerRegistry', () => {
  it('adds servers with unique names and reuses the name of a URL added twice', async () => {
    const { registry: r, dir } = await registry()
    expect(r.add({ url: 'https://mcp.example.com/mcp' }).server.name).toBe('example')
    expect(r.add({ url: 'https://example.com/other' }).server.name).toBe('example-2')
    const again = r.add({ url: 'https://mcp.example.com/mcp', scope: 'a b', headerNames: ['X-Team'] })
    expect(again).toMatchObject({ created: false, server: { name: 'example', scope: 'a b', headerNames: ['X-Team'] } })
    expect(r.list().map((s) => s.name)).toEqual(['example', 'example-2'])
    expect(() => r.add({ url: 'https://third.example/mcp', name: 'example' })).toThrow(/already named/)
    expect(JSON.parse(await readFile(join(dir, 'registry.json'), 'utf8')).servers).toHaveLength(2)
    expect(new ServerRegistry(openConfStore(dir)).get('example')?.url).toBe('https://mcp.example.com/mcp')
  })

  it('refuses bad names and URLs, and removes servers', async () => {
    const { registry: r } = await registry()
    expect(() => r.add({ url: 'ftp://x.example/', name: 'x' })).toThrow(/not valid/)
    expect(() => r.add({ url: 'not a url' })).toThrow(/not a URL/)
    expect(() => r.add({ url: 'https://x.example/', name: '../evil' })).toThrow(/not valid/)
    r.add({ url: 'https://x.example/mcp', name: 'x' })
    expect(() => r.require('nope')).toThrow(/No server named/)
    expect(r.remove('x')).toBe(true)
    expect(r.list()).toEqual([])
  })

  it('has settings with defaults', async () => {
    const { registry: r } = await registry()
    expect(r.settings()).toEqual(defaultSettings)
    expect(r.updateSettings({ callbackPort: 0 }).callbackPort).toBe(0)
    expect(r.settings().callbackPort).toBe(0)
  })
})
