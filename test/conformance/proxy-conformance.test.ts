import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runConformance, tsxCommand } from './run-conformance'

/**
 * The official `@modelcontextprotocol/conformance` client suites, `auth` (2025-11-25) and
 * `backcompat` (2025-03-26), and the other client scenarios 2025-11-25 requires, against the
 * built stdio proxy, driven by proxy-driver.ts as Claude Desktop would drive it; sign-in goes
 * through the hub the proxy starts. MCP_TRAY_CONFORMANCE=0 skips it (no npm cache for `node@22`,
 * no network).
 */
const driver = tsxCommand(join(import.meta.dirname, 'proxy-driver.ts'))

/** Required for 2025-11-25 besides the auth suite (`conformance list --requirements 2025-11-25`). */
const transportScenarios = ['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry']

/** Processes whose MCP_TRAY_HOME lies under `dir` (Linux; elsewhere the empty folder has to do). */
async function processesUsing(dir: string): Promise<string[]> {
  if (process.platform !== 'linux') return []
  const found: string[] = []
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
    if (environ.split('\0').some((entry) => entry.startsWith(`MCP_TRAY_HOME=${dir}`))) found.push(pid)
  }
  return found
}

describe.runIf(process.env.MCP_TRAY_CONFORMANCE !== '0')('MCP conformance, client mode, through the proxy', () => {
  it('passes every client scenario 2025-11-25 requires and the 2025-03-26 backcompat suite, and leaves no process behind', async () => {
    const homes = await mkdtemp(join(tmpdir(), 'proxy-conformance-'))
    try {
      const env = { ...process.env, MCP_TRAY_CONFORMANCE_HOMES: homes }
      // Side by side: each scenario has its own data folder, hub and callback port.
      const [auth, backcompat, ...transport] = await Promise.all([
        runConformance(driver, ['--suite', 'auth', '--timeout', '90000'], { env }),
        runConformance(driver, ['--suite', 'backcompat', '--timeout', '90000'], { env }),
        ...transportScenarios.map((scenario) => runConformance(driver, ['--scenario', scenario, '--timeout', '90000'], { env })),
      ])
      const others = { passed: transport.reduce((n, r) => n + r.passed, 0), ms: Math.max(...transport.map((r) => r.ms)) }
      process.stderr.write(
        `conformance through the proxy: auth ${auth.passed} checks in ${auth.ms} ms, backcompat ${backcompat.passed} in ${backcompat.ms} ms, ` +
          `${transportScenarios.join(', ')} ${others.passed} in ${others.ms} ms\n`,
      )
      const all = [auth, backcompat, ...transport]
      expect(all.flatMap((r) => r.failed)).toEqual([])
      expect(auth.scenarios.size).toBeGreaterThanOrEqual(14)
      expect(backcompat.scenarios.size).toBeGreaterThanOrEqual(2)
      expect(transport.map((r) => r.scenarios.size)).toEqual(transportScenarios.map(() => 1))
      expect(all.flatMap((r) => [...r.scenarios]).filter(([, passed]) => passed === 0)).toEqual([])
      expect(auth.passed).toBeGreaterThan(200)
      expect(backcompat.passed).toBeGreaterThan(15)
      expect(others.passed).toBeGreaterThan(8)
      // Each driver removed its data folder, and wrote `<folder>.problem` if its proxy or hub did not stop.
      const left = await readdir(homes)
      const problems = await Promise.all(left.map((name) => readFile(join(homes, name), 'utf8').catch(() => `${name} (a folder)`)))
      expect(problems).toEqual([])
      expect(await processesUsing(homes)).toEqual([])
    } finally {
      await rm(homes, { recursive: true, force: true })
    }
  }, 300_000)
})
