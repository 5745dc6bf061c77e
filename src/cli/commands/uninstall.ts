import type { Command } from 'commander'
import { clientKinds, type ClientId } from '../../core/clients/client-kinds'
import { ensureDataDir, resolveDataDir } from '../../core/data/data-dir'
import { adviseReload, clientOption, clientOptionHelp, openClientConfigs } from './client-setup'

/** `mcp-tray uninstall <name>`: removes our entry from a client's config; MCP Tray will not put it back. */
export function registerUninstall(program: Command): void {
  program
    .command('uninstall')
    .description('Remove a server’s MCP Tray entry from an MCP client’s config (Claude Desktop by default). Entries MCP Tray did not write are left alone.')
    .argument('<name>', 'the entry’s name in the client’s config')
    .option('--client <client>', clientOptionHelp, clientOption, 'claude-desktop')
    .option('--restart-client', 'quit and restart Claude Desktop when it is running, so that it loads the change')
    .action(async (name: string, options: { client: ClientId; restartClient?: boolean }) => {
      const dataDir = await ensureDataDir(resolveDataDir())
      const change = await openClientConfigs(dataDir).uninstall(options.client, name)
      const write = (line: string) => void process.stdout.write(`${line}\n`)
      const client = clientKinds[options.client].displayName
      if (!change.changed) return write(`${client} has no entry "${name}" in ${change.file}; MCP Tray will not add it back.`)
      write(`Removed "${name}" from ${change.file}; MCP Tray will not add it back.`)
      if (change.backup) write(`The previous file is saved as ${change.backup}`)
      await adviseReload(options.client, options.restartClient ?? false, write)
    })
}
