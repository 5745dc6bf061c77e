import type { Command } from 'commander'
import type { ServerOptionsChange, ServerView } from '../../shared/server-view'
import { headerOption, say, timeoutOption } from './server-options'

interface SetOptions {
  readonly timeout?: number | false
  readonly scope?: string | false
  readonly header?: Record<string, string> | false
  readonly clientId?: string | false
  readonly clientSecret?: string | false
}

/** `mcp-tray set <name> …`: changes a server's options through the hub; `--no-…` removes one. */
export function registerSet(program: Command): void {
  program
    .command('set')
    .description('Change a server’s options; `--no-<option>` removes one. Proxies started from now on use them.')
    .argument('<name>', 'the server’s name (see `mcp-tray list`)')
    .option('--timeout <ms>', 'how long the proxy waits for an answer before it answers with an error', timeoutOption)
    .option('--no-timeout', 'use the default timeout (the defaultTimeoutMs setting)')
    .option('--scope <scope>', 'scopes to ask for at the next sign-in, space-separated')
    .option('--no-scope', 'ask for the scopes the server names')
    .option('--header <header>', 'an extra HTTP header "Name: value" (repeatable; replaces all extra headers; values are stored encrypted)', headerOption)
    .option('--no-header', 'send no extra headers')
    .option('--client-id <id>', 'a client id the authorization server issued to you (used from the next sign-in)')
    .option('--no-client-id', 'register MCP Tray by itself again')
    .option('--client-secret <secret>', 'its client secret (stored encrypted)')
    .option('--no-client-secret', 'forget the client secret')
    .action(async (name: string, options: SetOptions) => {
      const change: ServerOptionsChange = {
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout === false ? null : options.timeout }),
        ...(options.scope === undefined ? {} : { scope: options.scope === false ? null : options.scope }),
        ...(options.header === undefined ? {} : { headers: options.header === false ? {} : options.header }),
        ...(options.clientId === undefined ? {} : { clientId: options.clientId === false ? null : options.clientId }),
        ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret === false ? null : options.clientSecret }),
      }
      if (Object.keys(change).length === 0) {
        const { TrayError } = await import('../../shared/tray-error')
        throw new TrayError('nothing_to_set', `Nothing to change for ${name}.`, { hint: 'Give an option, e.g. --timeout 120000 (see `mcp-tray set --help`).' })
      }
      const { withHub } = await import('./hub-session')
      const view = await withHub((hub) => hub.call<ServerView>('updateServer', { server: name, change }))
      const { timeoutMs, scope, headerNames, clientId } = view.options
      say(`Updated ${view.server}:`)
      say(`  timeout: ${timeoutMs === undefined ? 'the default' : `${timeoutMs} ms`}`)
      say(`  scope: ${scope ?? 'as the server asks'}`)
      say(`  headers: ${headerNames?.join(', ') || 'none'}`)
      say(`  client id: ${clientId ?? 'registered by MCP Tray'}`)
      if (change.scope !== undefined || change.clientId !== undefined || change.clientSecret !== undefined) say(`Sign in again (\`mcp-tray login ${view.server}\`) for the change to apply to the sign-in.`)
    })
}
