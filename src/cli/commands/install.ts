import type { Command } from 'commander'
import { clientKinds, type ClientId } from '../../core/clients/client-kinds'
import { adviseReload, clientOption, clientOptionHelp, openClientConfigs } from './client-setup'
import { openHeadlessOAuth } from './headless-oauth'

/** `mcp-tray install <name>`: writes the entry that makes a client launch our proxy for a server. */
export function registerInstall(program: Command): void {
  program
    .command('install')
    .description('Add a server to an MCP client’s config (Claude Desktop by default) so that the client starts it through MCP Tray.')
    .argument('<name>', 'the server’s name in MCP Tray (see `mcp-tray list`)')
    .option('--client <client>', clientOptionHelp, clientOption, 'claude-desktop')
    .option('--restart-client', 'quit and restart Claude Desktop when it is running, so that it loads the change')
    .action(async (name: string, options: { client: ClientId; restartClient?: boolean }) => {
      const { dataDir, registry } = await openHeadlessOAuth()
      const server = registry.require(name)
      const change = await openClientConfigs(dataDir).install(options.client, server.name)
      const write = (line: string) => void process.stdout.write(`${line}\n`)
      const client = clientKinds[options.client].displayName
      if (!change.changed) return write(`${client} already starts "${server.name}" through MCP Tray (${change.file}).`)
      write(`${change.created ? 'Created' : 'Updated'} ${change.file}: ${client} now starts "${server.name}" through MCP Tray.`)
      if (change.backup) write(`The previous file is saved as ${change.backup}`)
      await adviseReload(options.client, options.restartClient ?? false, write)
    })
}
