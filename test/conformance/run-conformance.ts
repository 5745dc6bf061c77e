import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Runs `@modelcontextprotocol/conformance` in client mode and reads the checks it kept. The suite
 * needs Node 22, taken from the npm package `node@22` as STACK.md says; it appends the server URL
 * to `command` and runs it through the shell.
 */
const conformance = fileURLToPath(import.meta.resolve('@modelcontextprotocol/conformance/package.json')).replace(/package\.json$/, 'dist/index.js')
const tsx = fileURLToPath(import.meta.resolve('tsx'))

/** Node 22 from the npm package, found once per test process: `npx` costs most of a second each time. */
let node22: Promise<string> | undefined
function nodeForConformance(): Promise<string> {
  node22 ??= new Promise((resolve, reject) => {
    execFile('npx', ['-y', '-p', 'node@22.23.3', 'node', '-p', 'process.execPath'], { timeout: 120_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    )
  })
  return node22
}

/** `node --import tsx <script>`, quoted for the shell the suite runs it through. */
export function tsxCommand(script: string): string {
  return [process.execPath, '--import', tsx, script].map((part) => JSON.stringify(part)).join(' ')
}

export interface ConformanceResult {
  /** `scenario: check id` of every FAILURE or WARNING. */
  readonly failed: string[]
  /** Checks that passed (SUCCESS; INFO records of what the client did are not counted). */
  readonly passed: number
  /** Scenario name → its passed checks: a scenario that never ran is missing here. */
  readonly scenarios: ReadonlyMap<string, number>
  /** Wall time of the whole run. */
  readonly ms: number
}

export async function runConformance(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ConformanceResult> {
  const node = await nodeForConformance()
  const out = await mkdtemp(join(tmpdir(), 'conformance-'))
  const started = Date.now()
  try {
    await new Promise<void>((resolve) => {
      execFile(
        node,
        [conformance, 'client', '--command', command, ...args, '-o', out],
        { timeout: options.timeoutMs ?? 240_000, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 },
        () => resolve(),
      )
    })
    const ms = Date.now() - started
    const failed: string[] = []
    const scenarios = new Map<string, number>()
    // `-o` keeps `<name>-<ISO timestamp>/checks.json` per scenario, under `auth/` for `auth/<name>`.
    const scenarioDirs = async (dir: string, prefix: string): Promise<{ scenario: string; dir: string }[]> => {
      const found: { scenario: string; dir: string }[] = []
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (!entry.isDirectory()) continue
        const path = join(dir, entry.name)
        const name = entry.name.replace(/-\d{4}-\d{2}-\d{2}T.*$/, '')
        if (name !== entry.name) found.push({ scenario: `${prefix}${name}`, dir: path })
        else found.push(...(await scenarioDirs(path, `${prefix}${entry.name}/`)))
      }
      return found
    }
    for (const { scenario, dir } of await scenarioDirs(out, '')) {
      const checks = await readFile(join(dir, 'checks.json'), 'utf8')
        .then((text) => JSON.parse(text) as { id: string; status: string }[])
        .catch((error: unknown) => [{ id: `checks.json unreadable: ${String(error)}`, status: 'FAILURE' }])
      let passed = 0
      for (const check of checks) {
        if (check.status === 'FAILURE' || check.status === 'WARNING') failed.push(`${scenario}: ${check.id}`)
        else if (check.status === 'SUCCESS') passed += 1
      }
      scenarios.set(scenario, (scenarios.get(scenario) ?? 0) + passed)
    }
    const passed = [...scenarios.values()].reduce((sum, n) => sum + n, 0)
    return { failed, passed, scenarios, ms }
  } finally {
    await rm(out, { recursive: true, force: true })
  }
}
