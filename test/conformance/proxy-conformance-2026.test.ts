import { describe, expect, it } from 'vitest'
import { report, throughProxy } from './through-proxy'

/**
 * The 2026-07-28 authorization scenarios of `@modelcontextprotocol/conformance` (client mode)
 * against the built stdio proxy, as in proxy-conformance.test.ts; a file of its own so that it
 * runs beside that one. MCP_TRAY_CONFORMANCE=0 skips it.
 */

/**
 * Authorization scenarios of 2026-07-28. In auth/authorization-server-migration the server's
 * metadata moves to a new authorization server after the first sign-in: the hub signs in there,
 * registering anew, and never shows it the first one's client.
 */
const authorization2026Scenarios = [
  'auth/authorization-server-migration',
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

/**
 * The 2026-07-28 client scenarios besides authorization: the proxy finds the revision from the
 * refused initialize and server/discover, and speaks it for the 2025-11-25 client of proxy-driver.ts
 * (per-request `_meta`, standard and `x-mcp-header` headers, `input_required` rounds).
 */
const transport2026Scenarios = [
  'request-metadata',
  'sep-2322-client-request-state',
  'http-standard-headers',
  'http-custom-headers',
  'http-invalid-tool-headers',
  'json-schema-ref-no-deref',
  'tools_call',
]

describe.runIf(process.env.MCP_TRAY_CONFORMANCE !== '0')('MCP conformance 2026-07-28, client mode, through the proxy', () => {
  it('speaks 2026-07-28 to its servers for a 2025-11-25 client (request metadata, request state, standard and custom headers, tools)', async () => {
    const results = await throughProxy(transport2026Scenarios.map((scenario) => ['--scenario', scenario, '--spec-version', '2026-07-28']))
    report('2026-07-28 transport', results)
    expect(results.flatMap((r) => r.failed)).toEqual([])
    expect(results.map((r) => r.scenarios.size)).toEqual(transport2026Scenarios.map(() => 1))
    expect(results.every((r) => r.passed > 0)).toBe(true)
    expect(results.reduce((n, r) => n + r.passed, 0)).toBeGreaterThanOrEqual(45)
  }, 300_000)

  it('passes the 2026-07-28 authorization checks (iss, metadata issuer, resource mismatch, offline access, authorization-server migration)', async () => {
    const results = await throughProxy(authorization2026Scenarios.map((scenario) => ['--scenario', scenario, '--spec-version', '2026-07-28']))
    report('2026-07-28 authorization', results)
    expect(results.flatMap((r) => r.failed)).toEqual([])
    expect(results.map((r) => r.scenarios.size)).toEqual(authorization2026Scenarios.map(() => 1))
    expect(results.every((r) => r.passed > 0)).toBe(true)
    expect(results.reduce((n, r) => n + r.passed, 0)).toBeGreaterThanOrEqual(120)
  }, 300_000)
})
