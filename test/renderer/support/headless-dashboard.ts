import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const cliScript = join(import.meta.dirname, '..', '..', '..', 'out', 'cli', 'index.js')

export interface HeadlessDashboard {
  readonly child: ChildProcess
  /** The address `serve` printed: it carries the access token in its fragment. */
  readonly url: string
  /** The dashboard's origin, without the token. */
  readonly origin: string
  /** Stops the hub (SIGTERM) and waits for it to exit, at most a few seconds. */
  stop(): Promise<void>
}

/** Runs `mcp-tray serve` on a free dashboard port and resolves once it prints the dashboard's address. */
export function startHeadlessDashboard(env: NodeJS.ProcessEnv): Promise<HeadlessDashboard> {
  const child = spawn(process.execPath, [cliScript, 'serve', '--dashboard-port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`serve printed no dashboard address: ${output}`))
    }, 15_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const url = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({ child, url, origin: new URL(url).origin, stop })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}: ${output}`))
    })
  })
}
