import { describe, expect, it } from 'vitest'
import { selectScopes, withOfflineAccess } from '../../../src/core/oauth/authorization-request'

describe('scope selection (MCP AZ scope selection, step-up)', () => {
  const resource = { resource: 'https://h.example/mcp', scopes_supported: ['a', 'b'] }
  it('uses the challenge scope, else PRM scopes_supported, else none', () => {
    expect(selectScopes({ challenge: { scope: 'x y' }, resource })).toEqual(['x', 'y'])
    expect(selectScopes({ challenge: {}, resource })).toEqual(['a', 'b'])
    expect(selectScopes({ challenge: {} })).toEqual([])
  })
  it('lets the configured scope win', () => {
    expect(selectScopes({ configured: 'mine', challenge: { scope: 'x' }, resource })).toEqual(['mine'])
  })
  it('asks for the union of earlier and challenged scopes on insufficient_scope', () => {
    expect(selectScopes({ challenge: { error: 'insufficient_scope', scope: 'a c' }, previous: ['a', 'b'] })).toEqual(['a', 'b', 'c'])
    expect(selectScopes({ configured: 'a', challenge: { error: 'insufficient_scope', scope: 'a c' }, previous: ['a'] })).toEqual(['a', 'c'])
  })
  it('adds offline_access only when the authorization server lists it', () => {
    expect(withOfflineAccess(['a'], { issuer: 'x', scopes_supported: ['a', 'offline_access'] })).toEqual(['a', 'offline_access'])
    expect(withOfflineAccess(['a'], { issuer: 'x', scopes_supported: ['a'] })).toEqual(['a'])
    expect(withOfflineAccess(['a'], { issuer: 'x' })).toEqual(['a'])
  })
})
