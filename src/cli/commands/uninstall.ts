import type { Command } from 'commander'
import { clientKinds } from '../../core/clients/client-kinds'
import { ensureDataDir, resolveDataDir } from '../../core/data/data-dir'
import { adviseReload, openClientConfigs, withOneClientOptions, type OneClientOptions } from './client-setup'

/** `mcp-tray uninstall <name>`: removes our entry from a client's config; MCP Tray will not put it back. */
export function registerUninstall(program: Command): void {
  const command = program
    .command('uninstall')
    .description('Remove a server’s MCP Tray entry from an MCP client’s config (Claude Desktop by default). Entries MCP Tray did not write are left alone.')
    .argument('<name>', 'the entry’s name in the client’s config')
  withOneClientOptions(command).action(async (name: string, options: OneClientOptions) => {
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
