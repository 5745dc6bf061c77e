import { describe, expect, it } from 'vitest'
import { report, throughProxy } from './through-proxy'

/**
 * The 2026-07-28 authorization scenarios of `@modelcontextprotocol/conformance` (client mode)
 * against the built stdio proxy, as in proxy-conformance.test.ts; a file of its own so that it
 * runs beside that one. MCP_TRAY_CONFORMANCE=0 skips it.
 */

/**
 * Authorization scenarios of 2026-07-28. The proxy does not speak that revision's transport yet
 * (the server refuses initialize without MCP-Protocol-Version), so a scenario that signs in ends
 * in a client error after it, but every authorization check comes before and must pass. Not here:
 * auth/authorization-server-migration, whose migration shows only after a working session.
 */
const authorization2026Scenarios = [
  'auth/resource-mismatch',
  'auth/offline-access-scope',
  'auth/offline-access-not-supported',
  'auth/iss-supported',
  'auth/iss-not-advertised',
  'auth/iss-supported-missing',
  'auth/iss-wrong-issuer',
  'auth/iss-unexpected',
  'auth/iss-normalized',
  'auth/metadata-issuer-mismatch',
]

describe.runIf(process.env.MCP_TRAY_CONFORMANCE !== '0')('MCP conformance 2026-07-28, client mode, through the proxy', () => {
  it('passes the 2026-07-28 authorization checks (iss, metadata issuer, resource mismatch, offline access)', async () => {
    const results = await throughProxy(authorization2026Scenarios.map((scenario) => ['--scenario', scenario, '--spec-version', '2026-07-28']))
    report('2026-07-28 authorization', results)
    expect(results.flatMap((r) => r.failed)).toEqual([])
    expect(results.map((r) => r.scenarios.size)).toEqual(authorization2026Scenarios.map(() => 1))
    expect(results.every((r) => r.passed > 0)).toBe(true)
    expect(results.reduce((n, r) => n + r.passed, 0)).toBeGreaterThan(70)
  }, 300_000)
})
