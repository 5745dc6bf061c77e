import { describe, expect, it } from 'vitest'
import { overallState } from '../../../src/core/hub/overall-state'
import type { ServerState } from '../../../src/shared/dashboard-api'

const servers = (...states: ServerState[]) => states.map((state, i) => ({ server: `s${i}`, state, proxies: 0, requests: 0, errors: 0 }))

describe('overallState', () => {
  it('puts the worst news first', () => {
    expect(overallState([])).toBe('idle')
    expect(overallState(servers('idle', 'idle'))).toBe('idle')
    expect(overallState(servers('idle', 'connected'))).toBe('connected')
    expect(overallState(servers('connected', 'signing-in'))).toBe('attention')
    expect(overallState(servers('sign-in-needed', 'connected'))).toBe('attention')
    expect(overallState(servers('sign-in-needed', 'error', 'connected'))).toBe('error')
  })
})
