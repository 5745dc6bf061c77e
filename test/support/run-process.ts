import { spawn } from 'node:child_process'

export interface ProcessOutcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a program to its end and collects what it printed. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}
