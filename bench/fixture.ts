import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export interface FixtureProcess {
  /** The Streamable HTTP endpoint on 127.0.0.1. */
  readonly mcpUrl: string
  readonly pid: number
  close(): Promise<void>
}

const entry = fileURLToPath(new URL('./fixture-process.ts', import.meta.url))

/**
 * Starts the fixture server in a child process. In the bench's own process it would share one event
 * loop with the direct client and with the clients driving the proxies, so its work (and its garbage
 * collection after 10 MB results) would be timed as the clients' work.
 */
export async function startFixtureProcess(): Promise<FixtureProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: ['pipe', 'pipe', 'pipe'] })
  // Kept for a failure message only: oidc-provider's start-up warnings would clutter the bench's output.
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const exited = once(child, 'exit')
  const lines = createInterface({ input: child.stdout })
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    exited.then(([code]) => {
      throw new Error(`the fixture server exited (code ${String(code)}) before it printed its URL:\n${stderr}`)
    }),
  ])
  lines.close()
  const { mcpUrl } = JSON.parse(first) as { mcpUrl: string }
  return {
    mcpUrl,
    pid: child.pid ?? 0,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
