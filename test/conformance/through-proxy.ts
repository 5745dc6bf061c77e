import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { runConformance, tsxCommand, type ConformanceResult } from './run-conformance'

/** The stdio client of the proxy the conformance runner launches per scenario. */
const driver = tsxCommand(join(import.meta.dirname, 'proxy-driver.ts'))

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

/**
 * Runs conformance invocations side by side (each scenario has its own data folder, hub and
 * callback port), then checks that every driver removed its data folder and left no process and
 * no `<folder>.problem` (a proxy or hub that did not stop as it should).
 */
export async function throughProxy(invocations: readonly (readonly string[])[]): Promise<ConformanceResult[]> {
  const homes = await mkdtemp(join(tmpdir(), 'proxy-conformance-'))
  try {
    const env = { ...process.env, MCP_TRAY_CONFORMANCE_HOMES: homes }
    // Settled, not all: leaving at the first failure would remove data folders drivers still use.
    const settled = await Promise.allSettled(invocations.map((args) => runConformance(driver, [...args, '--timeout', '90000'], { env })))
    const rejected = settled.find((result) => result.status === 'rejected')
    if (rejected) throw rejected.reason
    const results = settled.map((result) => (result as PromiseFulfilledResult<ConformanceResult>).value)
    const left = await readdir(homes)
    const problems = await Promise.all(left.map((name) => readFile(join(homes, name), 'utf8').catch(() => `${name} (a folder)`)))
    expect(problems).toEqual([])
    expect(await processesUsing(homes)).toEqual([])
    return results
  } finally {
    await rm(homes, { recursive: true, force: true })
  }
}

export function report(label: string, results: readonly ConformanceResult[]): void {
  const passed = results.reduce((n, r) => n + r.passed, 0)
  const scenarios = results.reduce((n, r) => n + r.scenarios.size, 0)
  process.stderr.write(`conformance through the proxy, ${label}: ${scenarios} scenarios, ${passed} checks passed in ${Math.max(...results.map((r) => r.ms))} ms\n`)
}
