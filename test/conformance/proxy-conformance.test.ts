import { describe, expect, it } from 'vitest'
import { report, throughProxy } from './through-proxy'

/**
 * The official `@modelcontextprotocol/conformance` client scenarios 2025-11-25 requires, and the
 * 2025-03-26 backcompat suite, against the built stdio proxy, driven by proxy-driver.ts as Claude
 * Desktop would drive it; sign-in goes through the hub the proxy starts. MCP_TRAY_CONFORMANCE=0
 * skips it (no npm cache for `node@22`, no network).
 */

/** Required for 2025-11-25 besides the auth suite (`conformance list --requirements 2025-11-25`). */
const transportScenarios = ['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry']

describe.runIf(process.env.MCP_TRAY_CONFORMANCE !== '0')('MCP conformance, client mode, through the proxy', () => {
  it('passes every client scenario 2025-11-25 requires (the auth suite and more) and the 2025-03-26 backcompat suite', async () => {
    const [auth, backcompat, ...transport] = await throughProxy([
      ['--suite', 'auth'],
      ['--suite', 'backcompat'],
      ...transportScenarios.map((scenario) => ['--scenario', scenario]),
    ])
    report('2025-11-25 and backcompat', [auth!, backcompat!, ...transport])
    const all = [auth!, backcompat!, ...transport]
    expect(all.flatMap((r) => r.failed)).toEqual([])
    expect(all.flatMap((r) => [...r.scenarios]).filter(([, passed]) => passed === 0)).toEqual([])
    expect(auth!.scenarios.size).toBeGreaterThanOrEqual(14)
    expect(backcompat!.scenarios.size).toBeGreaterThanOrEqual(2)
    expect(transport.map((r) => r.scenarios.size)).toEqual(transportScenarios.map(() => 1))
    expect(auth!.passed).toBeGreaterThan(200)
    expect(backcompat!.passed).toBeGreaterThan(15)
    expect(transport.reduce((n, r) => n + r.passed, 0)).toBeGreaterThan(8)
  }, 300_000)
})
