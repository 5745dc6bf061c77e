import type { Command } from 'commander'
import type { RedirectSettings } from '../../shared/server-view'
import { headerOption, redirectUriOption } from './server-options'

/** `mcp-tray add <url>`: lists a remote server; a client secret and header values go to the vault, never the registry. */
export function registerAdd(program: Command): void {
  program
    .command('add')
    .description('Add a remote MCP server (adding a URL again updates it under its name).')
    .argument('<url>', 'the server URL, e.g. https://example.com/mcp')
    .option('--name <name>', 'a short name for the server')
    .option('--client-id <id>', 'a client id the authorization server issued to you')
    .option('--client-secret <secret>', 'its client secret (stored encrypted)')
    .option('--scope <scope>', 'scopes to ask for, space-separated')
    .option('--redirect-uri <uri>', 'the sign-in redirect URI registered for --client-id, e.g. http://localhost:3334/oauth/callback', redirectUriOption)
    .option('--audience <audience>', 'an audience parameter for the authorization request (Auth0 issues a token for that API)')
    .option('--header <header>', 'an extra HTTP header "Name: value" sent with every request (repeatable; the value is stored encrypted)', headerOption)
    .action(async (url: string, options: AddOptions) => {
      const [{ openHeadlessOAuth }, { clientSecretKey }, { storeServerHeaders }] = await Promise.all([
        import('./headless-oauth'),
        import('../../core/oauth/server-auth-record'),
        import('../../core/registry/server-headers'),
      ])
      const { registry, engine } = await openHeadlessOAuth()
      const { server, created } = registry.add({
        url,
        ...(options.name ? { name: options.name } : {}),
        ...(options.clientId ? { clientId: options.clientId } : {}),
        ...(options.scope ? { scope: options.scope } : {}),
        ...(options.redirectUri ? { redirect: options.redirectUri } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
        ...(options.header ? { headerNames: Object.keys(options.header) } : {}),
      })
      if (options.header) await storeServerHeaders(engine.vault, server.name, options.header)
      if (options.clientSecret) await engine.vault.set(clientSecretKey(server.name), { clientSecret: options.clientSecret })
      process.stdout.write(`${created ? 'Added' : 'Updated'} ${server.name}: ${server.url}\nSign in with: mcp-tray login ${server.name}\n`)
    })
}

interface AddOptions {
  readonly name?: string
  readonly clientId?: string
  readonly clientSecret?: string
  readonly scope?: string
  readonly redirectUri?: RedirectSettings
  readonly audience?: string
  readonly header?: Record<string, string>
}
