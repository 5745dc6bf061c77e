import { InvalidArgumentError } from 'commander'
import type { ClientId } from '../../shared/client-ids'
import type { InstallOutcome } from '../../shared/server-view'
import { clientKinds } from '../../core/clients/client-kinds'
import { parseRedirectUri } from '../../core/registry/redirect-uri'
import type { RedirectSettings } from '../../shared/server-view'
import { TrayError } from '../../shared/tray-error'
import { clientOption } from './client-setup'

/** A day: beyond 2^31 - 1 ms Node fires a timer at once, which would time out every request. */
const maxTimeoutMs = 24 * 60 * 60_000

/** Parses `--timeout <ms>`. */
export function timeoutOption(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 100 || parsed > maxTimeoutMs) {
    throw new InvalidArgumentError(`expected a whole number of milliseconds, from 100 to ${maxTimeoutMs} (a day).`)
  }
  return parsed
}

/** Parses a repeatable `--client <client>`. */
export function collectClients(value: string, previous: ClientId[] = []): ClientId[] {
  return [...previous, clientOption(value)]
}

/** "Claude Desktop (/path/claude_desktop_config.json; previous file saved as …)" */
export function describeChange(outcome: InstallOutcome): string {
  const saved = outcome.backup ? `; the previous file is saved as ${outcome.backup}` : ''
  return `${clientKinds[outcome.client].displayName} (${outcome.file}${saved})`
}

/** Writes one line to stdout. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

/** Parses a repeatable `--header "Name: value"` into name → value. */
export function headerOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = value.indexOf(':')
  if (colon <= 0) throw new InvalidArgumentError('expected "Name: value".')
  const [name, text] = [value.slice(0, colon).trim(), value.slice(colon + 1).trim()]
  try {
    new Headers([[name, text]])
  } catch {
    throw new InvalidArgumentError('not a valid HTTP header (its name or value holds a character HTTP does not allow).')
  }
  return { ...previous, [name]: text }
}

/** `--redirect-uri`: the loopback address a server's client is registered for (`add`, `set`). */
export function redirectUriOption(value: string): RedirectSettings {
  try {
    return parseRedirectUri(value)
  } catch (error) {
    if (error instanceof TrayError) throw new InvalidArgumentError(`${error.message} ${error.hint ?? ''}`.trim())
    throw error
  }
}
