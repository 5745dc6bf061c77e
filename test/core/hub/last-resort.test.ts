import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runProcess } from '../../support/run-process'

const tsx = fileURLToPath(import.meta.resolve('tsx'))
const lastResort = fileURLToPath(new URL('../../../src/core/hub/last-resort.ts', import.meta.url))
const secretValues = fileURLToPath(new URL('../../../src/core/logs/secret-values.ts', import.meta.url))

/** Runs `body` in a fresh Node process with the last-resort handler installed, as `mcp-tray serve` has it. */
function withLastResort(body: string, maxUncaughtPerMinute = 20) {
  const script = `
    const { installLastResort } = await import(${JSON.stringify(lastResort)})
    const { SecretValues } = await import(${JSON.stringify(secretValues)})
    const secrets = new SecretValues()
    secrets.add('held-token-0123456789')
    installLastResort({ write: (line) => process.stderr.write(line), secrets, maxUncaughtPerMinute: ${maxUncaughtPerMinute} })
    ${body}
  `
  return runProcess(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { ...process.env })
}

describe('the hub process\'s last-resort handler', () => {
  it('reports an uncaught exception and an unhandled rejection, redacted and safe to show, and keeps the process serving', async () => {
    const outcome = await withLastResort(`
      setTimeout(() => { throw new Error('server said held-token-0123456789 and api_key=sk-live-abcdefghijklmnop \\x1b]0;evil\\x07\\x1b[31mred') }, 10)
      setTimeout(() => { void Promise.reject(new Error('nobody listened')) }, 20)
      setTimeout(() => { process.stdout.write('still serving'); process.exit(0) }, 200)
    `)
    expect(outcome.stdout).toBe('still serving')
    expect(outcome.code).toBe(0)
    expect(outcome.stderr).toContain('mcp-tray: unexpected error, kept serving: server said [redacted] and api_key=[redacted] red')
    expect(outcome.stderr).toContain('mcp-tray: an operation failed and nothing handled it, kept serving: nobody listened')
    expect(outcome.stderr).not.toMatch(/held-token|sk-live|\x1b/)
  })

  it('stops a process caught in a loop of them, so that a fresh hub can start', async () => {
    const outcome = await withLastResort(
      `
      for (let i = 0; i < 5; i += 1) setTimeout(() => { throw new Error('again ' + i) }, 10 + i)
      setTimeout(() => process.exit(0), 2_000)
    `,
      3,
    )
    expect(outcome.code).toBe(70)
    expect(outcome.stderr).toContain('stopping after 4 unexpected errors within a minute; the last was: again 3')
  })
})
