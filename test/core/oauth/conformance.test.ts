import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runConformance, tsxCommand } from '../../conformance/run-conformance'

/**
 * The 2026-07-28 authorization scenarios of `@modelcontextprotocol/conformance` (client mode)
 * against the OAuth engine directly, through conformance-client.ts: the proxy does not speak that
 * revision's transport yet. The 2025-11-25 `auth` and `backcompat` suites run against the proxy
 * itself (test/conformance). MCP_TRAY_CONFORMANCE=0 skips it (no npm cache, no network).
 */
const client = tsxCommand(fileURLToPath(new URL('./conformance-client.ts', import.meta.url)))

describe.runIf(process.env.MCP_TRAY_CONFORMANCE !== '0')('MCP conformance, client mode, OAuth engine', () => {
  it('passes the 2026-07-28 authorization scenarios (iss, metadata issuer, resource mismatch, offline access)', async () => {
    const scenarios = [
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
    const results = await Promise.all(scenarios.map((scenario) => runConformance(client, ['--scenario', scenario, '--spec-version', '2026-07-28'])))
    process.stderr.write(`conformance against the engine: 2026-07-28, ${results.reduce((n, r) => n + r.passed, 0)} checks in ${Math.max(...results.map((r) => r.ms))} ms\n`)
    expect(results.flatMap((r) => r.failed)).toEqual([])
    expect(results.every((r) => r.passed > 0)).toBe(true)
  }, 300_000)
})
