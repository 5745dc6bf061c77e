import { describeError } from '../../shared/tray-error'
import { redactText } from '../logs/redaction'
import type { SecretValues } from '../logs/secret-values'

export interface LastResortOptions {
  /** Where a report goes (stderr of `mcp-tray serve`, the app's): one line per call, ending in a newline. */
  readonly write: (line: string) => void
  /** Secret values this process holds, masked in every report. */
  readonly secrets?: SecretValues
  /**
   * More uncaught exceptions than this within a minute mean the process is caught in a loop
   * whose state may be broken: it exits, and the next proxy starts a fresh hub (default 20).
   */
  readonly maxUncaughtPerMinute?: number
  /** How to stop (default `process.exit`); exits with 70 (EX_SOFTWARE). */
  readonly exit?: (code: number) => void
}

/**
 * The hub's last line of defence: an exception or rejection that nothing handled is reported
 * (redacted) and the hub keeps serving, since every proxy of this user depends on it and each of
 * its listeners keeps its state per connection or per request. Only a burst of them, which says
 * that the state itself may be broken, ends the process. Returns how to uninstall.
 */
export function installLastResort(options: LastResortOptions): () => void {
  const maxPerMinute = options.maxUncaughtPerMinute ?? 20
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const recent: number[] = []
  const report = (what: string, error: unknown): void => {
    const detail = error instanceof Error && error.stack ? `${describeError(error)}\n${error.stack.split('\n').slice(1, 6).join('\n')}` : describeError(error)
    try {
      options.write(`mcp-tray: ${what}: ${redactText(detail, options.secrets)}\n`)
    } catch {
      // Nowhere to report (stderr closed): serving matters more.
    }
  }
  const onException = (error: unknown): void => {
    const now = Date.now()
    recent.push(now)
    while (recent.length > 0 && recent[0]! < now - 60_000) recent.shift()
    if (recent.length > maxPerMinute) {
      report(`stopping after ${recent.length} unexpected errors within a minute; the last was`, error)
      exit(70)
      return
    }
    report('unexpected error, kept serving', error)
  }
  const onRejection = (reason: unknown): void => report('an operation failed and nothing handled it, kept serving', reason)
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)
  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
  }
}
