import { describe, expect, it } from 'vitest'
import { resolveProxyTarget } from '../../../src/core/proxy/proxy-target'
import type { RegistryStore } from '../../../src/core/registry/registry-store'
import { ServerRegistry } from '../../../src/core/registry/server-registry'

function memoryRegistry(): ServerRegistry {
  const values = new Map<string, unknown>()
  const store: RegistryStore = { get: (key) => values.get(key), set: (key, value) => void values.set(key, value) }
  return new ServerRegistry(store)
}

describe('resolveProxyTarget', () => {
  it('finds a registered server by name, with its timeout', () => {
    const registry = memoryRegistry()
    registry.add({ url: 'https://mcp.linear.app/mcp', name: 'linear', timeoutMs: 5_000 })
    expect(resolveProxyTarget('linear', registry)).toEqual({
      name: 'linear',
      url: new URL('https://mcp.linear.app/mcp'),
      timeoutMs: 5_000,
      headerNames: [],
    })
  })

  it('adds a URL it does not know, as mcp-remote users pass one, and reuses it next time', () => {
    const registry = memoryRegistry()
    const first = resolveProxyTarget('http://127.0.0.1:8931/mcp', registry)
    expect(first.name).toBe('127.0.0.1-8931')
    expect(resolveProxyTarget('http://127.0.0.1:8931/mcp', registry).name).toBe('127.0.0.1-8931')
    expect(registry.list()).toHaveLength(1)
  })

  it('says what to do about an unknown name', () => {
    expect(() => resolveProxyTarget('nowhere', memoryRegistry())).toThrow(/No server named "nowhere"/)
  })
})
