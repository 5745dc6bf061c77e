import type { Writable } from 'node:stream'
import { describeError } from '../../shared/tray-error'
import { redactText } from '../logs/redaction'

/** The part of `process` the last-resort handler hooks into. */
export interface ProcessEvents {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown
}

/** At most this many reports; after that, one line says the rest are not shown. */
const maxReports = 20

/**
 * The proxy's last resort: an error nothing caught must not take the client's connection down with
 * it. Everything the proxy does runs per message (a failed one is answered on its own), so after
 * one the relay goes on; the error goes to stderr, redacted, so that it is seen and reported.
 * A flood of them is cut short rather than filling the client's log.
 */
export function keepRelayingOnUnexpectedErrors(events: ProcessEvents, diagnostics: Writable, label: string): void {
  let reports = 0
  const report = (kind: string, error: unknown): void => {
    reports += 1
    if (reports > maxReports + 1) return
    const stack = error instanceof Error && error.stack ? ` ${error.stack.split('\n').slice(1, 4).map((line) => line.trim()).join(' ')}` : ''
    const text = reports > maxReports ? 'more unexpected errors follow; not shown.' : `${kind}, relaying on: ${describeError(error)}${stack}`
    diagnostics.write(`${label}: ${redactText(text).replace(/\s+/g, ' ').trim()}\n`)
  }
  events.on('uncaughtException', (error) => report('unexpected error', error))
  events.on('unhandledRejection', (reason) => report('unexpected unhandled rejection', reason))
}
