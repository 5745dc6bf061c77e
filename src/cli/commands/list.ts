import type { Command } from 'commander'
import { openHeadlessOAuth } from './headless-oauth'

/** `mcp-tray list`: the servers in the registry. */
export function registerList(program: Command): void {
  program
    .command('list')
    .description('List the remote servers you added.')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { registry } = await openHeadlessOAuth()
      const servers = registry.list()
      if (options.json) return void process.stdout.write(`${JSON.stringify(servers, null, 2)}\n`)
      if (servers.length === 0) return void process.stdout.write('No servers yet. Add one with: mcp-tray add <url>\n')
      for (const s of servers) process.stdout.write(`${s.name}\t${s.url}${s.clientId ? `\tclient ${s.clientId}` : ''}\n`)
    })
}
