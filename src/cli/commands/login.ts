import type { Command } from 'commander'
import { describeExpiry, openHeadlessOAuth } from './headless-oauth'

/** `mcp-tray login <name>`: the interactive sign-in in the browser (BROWSER honoured). */
export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('Sign in to a server in your browser.')
    .argument('<name>', 'the server name (see `mcp-tray list`)')
    .action(async (name: string) => {
      const { registry, engine } = await openHeadlessOAuth()
      const server = registry.require(name)
      const controller = new AbortController()
      const cancel = (): void => controller.abort(new Error('interrupted'))
      process.on('SIGINT', cancel)
      try {
        const { status } = await engine.signIn.run(server, { signal: controller.signal })
        process.stdout.write(`Signed in to ${name} (${describeExpiry(status.expiresAt)}; scopes: ${status.scopes?.join(' ') || 'none'}).\n`)
      } finally {
        process.off('SIGINT', cancel)
      }
    })
}
