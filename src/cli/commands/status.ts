import type { Command } from 'commander'
import { describeExpiry, openHeadlessOAuth } from './headless-oauth'

/** `mcp-tray status`: per server, signed in or not, expiry and scopes; never a token. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show whether you are signed in to each server, when the sign-in expires and its scopes.')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { registry, engine } = await openHeadlessOAuth()
      const rows = await Promise.all(registry.list().map(async (s) => ({ name: s.name, url: s.url, ...(await engine.tokens.status(s.name)) })))
      if (options.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
      if (rows.length === 0) return void process.stdout.write('No servers yet. Add one with: mcp-tray add <url>\n')
      for (const row of rows) {
        const detail =
          row.state === 'signed-in'
            ? `${describeExpiry(row.expiresAt)}; scopes: ${row.scopes?.join(' ') || 'none'}`
            : (row.problem ?? '')
        process.stdout.write(`${row.name}\t${row.state}${detail ? `\t${detail}` : ''}\n`)
      }
      if (engine.vault.cipher.weak) process.stderr.write(`Tokens are encrypted with ${engine.vault.cipher.label}.\n`)
    })
}
