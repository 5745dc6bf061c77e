import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The official `@modelcontextprotocol/conformance` client scenarios (auth and backcompat) against
 * the OAuth engine, through conformance-client.ts. The suite needs Node 22, taken from the npm
 * package `node@22` as STACK.md says. MCP_TRAY_CONFORMANCE=0 skips it (no npm cache, no network).
 */
const conformance = fileURLToPath(import.meta.resolve('@modelcontextprotocol/conformance/package.json')).replace(/package\.json$/, 'dist/index.js')
const tsx = fileURLToPath(import.meta.resolve('tsx'))
const client = `${JSON.stringify(process.execPath)} --import ${JSON.stringify(tsx)} ${JSON.stringify(fileURLToPath(new URL('./conformance-client.ts', import.meta.url)))}`

async function runSuite(args: string[]): Promise<{ failed: string[]; passed: number }> {
  const out = await mkdtemp(join(tmpdir(), 'conformance-'))
  await new Promise<void>((resolve) => {
    execFile('npx', ['-y', '-p', 'node@22.23.3', 'node', conformance, 'client', '--command', client, ...args, '-o', out], { timeout: 240_000 }, () =>
      resolve(),
    )
  })
  const failed: string[] = []
  let passed = 0
  for (const scenarioDir of await readdir(join(out, 'auth')).catch(() => [] as string[])) {
    const checks = JSON.parse(await readFile(join(out, 'auth', scenarioDir, 'checks.json'), 'utf8')) as { id: string; status: string }[]
    for (const check of checks) {
      if (check.status === 'FAILURE' || check.status === 'WARNING') failed.push(`${scenarioDir.replace(/-\d{4}-.*$/, '')}: ${check.id}`)
      else passed += 1
    }
  }
  return { failed, passed }
}

describe.runIf(process.env.MCP_TRAY_CONFORMANCE !== '0')('MCP conformance, client mode', () => {
  it('passes every auth scenario of 2025-11-25 and the 2025-03-26 backcompat suite', async () => {
    const auth = await runSuite(['--suite', 'auth'])
    const backcompat = await runSuite(['--suite', 'backcompat'])
    expect([...auth.failed, ...backcompat.failed]).toEqual([])
    expect(auth.passed).toBeGreaterThan(150)
    expect(backcompat.passed).toBeGreaterThan(10)
  }, 300_000)

  it('passes the 2026-07-28 authorization scenarios (iss, metadata issuer, resource mismatch, offline access)', async () => {
    const results = await Promise.all(
      [
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
      ].map((scenario) => runSuite(['--scenario', scenario, '--spec-version', '2026-07-28'])),
    )
    expect(results.flatMap((r) => r.failed)).toEqual([])
    expect(results.every((r) => r.passed > 0)).toBe(true)
  }, 300_000)
})
