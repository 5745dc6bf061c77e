import * as sdk from '@modelcontextprotocol/client'
import { describe, expect, it } from 'vitest'
import * as ours from '../../../../src/core/proxy/revision-2026/meta-keys'

describe('the 2026-07-28 _meta keys', () => {
  it('are the ones the SDK v2 defines', () => {
    for (const [name, value] of Object.entries(ours)) expect(value, name).toBe((sdk as Record<string, unknown>)[name])
  })
})
