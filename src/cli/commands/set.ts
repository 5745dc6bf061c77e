import type { Command } from 'commander'
import type { RedirectSettings, ServerOptionsChange, ServerView } from '../../shared/server-view'
import { defaultRedirectPath } from '../../core/registry/redirect-uri'
import { headerOption, redirectUriOption, say, timeoutOption } from './server-options'

interface SetOptions {
  readonly timeout?: number | false
  readonly scope?: string | false
  readonly header?: Record<string, string> | false
  readonly clientId?: string | false
  readonly clientSecret?: string | false
  readonly redirectUri?: RedirectSettings | false
  readonly audience?: string | false
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
    .option('--redirect-uri <uri>', 'the sign-in redirect URI its client is registered for, e.g. http://localhost:3334/oauth/callback', redirectUriOption)
    .option('--no-redirect-uri', 'use MCP Tray’s own (http://127.0.0.1:<callback port>/oauth/callback)')
    .option('--audience <audience>', 'an audience parameter for the authorization request (Auth0)')
    .option('--no-audience', 'send no audience')
    .action(async (name: string, options: SetOptions) => {
      const change: ServerOptionsChange = {
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout === false ? null : options.timeout }),
        ...(options.scope === undefined ? {} : { scope: options.scope === false ? null : options.scope }),
        ...(options.header === undefined ? {} : { headers: options.header === false ? {} : options.header }),
        ...(options.clientId === undefined ? {} : { clientId: options.clientId === false ? null : options.clientId }),
        ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret === false ? null : options.clientSecret }),
        ...(options.redirectUri === undefined ? {} : { redirect: options.redirectUri === false ? null : options.redirectUri }),
        ...(options.audience === undefined ? {} : { audience: options.audience === false ? null : options.audience }),
      }
      if (Object.keys(change).length === 0) {
        const { TrayError } = await import('../../shared/tray-error')
        throw new TrayError('nothing_to_set', `Nothing to change for ${name}.`, { hint: 'Give an option, e.g. --timeout 120000 (see `mcp-tray set --help`).' })
      }
      const { withHub } = await import('./hub-session')
      const view = await withHub((hub) => hub.call<ServerView>('updateServer', { server: name, change }))
      const { timeoutMs, scope, headerNames, clientId, redirect, audience } = view.options
      say(`Updated ${view.server}:`)
      say(`  timeout: ${timeoutMs === undefined ? 'the default' : `${timeoutMs} ms`}`)
      say(`  scope: ${scope ?? 'as the server asks'}`)
      say(`  headers: ${headerNames?.join(', ') || 'none'}`)
      say(`  client id: ${clientId ?? 'registered by MCP Tray'}`)
      // Without a port of its own, the redirect URI takes the callback port setting's at sign-in.
      if (redirect) say(`  redirect URI: http://${redirect.host}:${redirect.port || '<callback port>'}${redirect.path ?? defaultRedirectPath}`)
      if (audience) say(`  audience: ${audience}`)
      const signInChanged = [change.scope, change.clientId, change.clientSecret, change.redirect, change.audience].some((value) => value !== undefined)
      if (signInChanged) say(`Sign in again (\`mcp-tray login ${view.server}\`) for the change to apply to the sign-in.`)
    })
}
