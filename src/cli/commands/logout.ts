import type { Command } from 'commander'
import { openHeadlessOAuth } from './headless-oauth'

/** `mcp-tray logout <name>`: revokes at the server where it can (RFC 7009) and forgets the tokens. */
export function registerLogout(program: Command): void {
  program
    .command('logout')
    .description('Sign out of a server: revoke its tokens where supported and forget them.')
    .argument('<name>', 'the server name')
    .action(async (name: string) => {
      const { registry, engine } = await openHeadlessOAuth()
      registry.require(name)
      const result = await engine.tokens.signOut(name)
      if (result.problem) process.stderr.write(`${result.problem}\n`)
      process.stdout.write(`Signed out of ${name}${result.revoked ? ' (the server revoked the tokens)' : ''}.\n`)
    })
}
