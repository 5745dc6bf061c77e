import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { builtCli, initializeLine, tempHome, useFixtureServer } from './spawn-proxy'

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

async function timeBareNode(): Promise<number> {
  const started = performance.now()
  const child = spawn(process.execPath, ['-e', ''])
  await new Promise((resolve) => child.once('exit', resolve))
  return performance.now() - started
}

/** Spawn → initialize result on stdout, and stdin EOF → exit. */
async function timeProxy(url: string, home: string): Promise<{ initialize: number; exit: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, [builtCli, 'proxy', url], { env: { PATH: process.env.PATH ?? '', MCP_TRAY_HOME: home } })
  child.stdin.write(initializeLine)
  await new Promise((resolve) => child.stdout.once('data', resolve))
  const initialize = performance.now() - started
  const closing = performance.now()
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.stdin.end()
  await exited
  return { initialize, exit: performance.now() - closing }
}

describe('proxy start-up and shut-down', () => {
  const fixture = useFixtureServer()

  it('answers initialize soon after spawn and exits soon after EOF', async () => {
    const home = tempHome()
    const bare: number[] = []
    const proxy: { initialize: number; exit: number }[] = []
    for (let i = 0; i < 5; i += 1) {
      bare.push(await timeBareNode())
      proxy.push(await timeProxy(fixture.server.mcpUrl, home))
    }
    const timings = {
      bareNodeMs: Math.round(median(bare)),
      spawnToInitializeMs: Math.round(median(proxy.map((p) => p.initialize))),
      eofToExitMs: Math.round(median(proxy.map((p) => p.exit))),
    }
    process.stderr.write(`proxy timings (median of 5): ${JSON.stringify(timings)}\n`)
    expect(timings.eofToExitMs).toBeLessThan(1000)
    expect(timings.spawnToInitializeMs).toBeLessThan(timings.bareNodeMs + 1000)
  })
})
