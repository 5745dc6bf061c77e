import type { Command } from 'commander'
import { clientKinds } from '../../core/clients/client-kinds'
import { adviseReload, openClientConfigs, withOneClientOptions, type OneClientOptions } from './client-setup'
import { openHeadlessOAuth } from './headless-oauth'
import { timeoutOption } from './server-options'

/** `mcp-tray install <name>`: writes the entry that makes a client launch our proxy for a server. */
export function registerInstall(program: Command): void {
  const command = program
    .command('install')
    .description('Add a server to an MCP client’s config (Claude Desktop by default) so that the client starts it through MCP Tray.')
    .argument('<name>', 'the server’s name in MCP Tray (see `mcp-tray list`)')
  command.option('--timeout <ms>', 'also set how long the proxy waits for an answer before it answers with an error (as `mcp-tray set --timeout`)', timeoutOption)
  withOneClientOptions(command).action(async (name: string, options: OneClientOptions & { timeout?: number }) => {
    const { dataDir, registry } = await openHeadlessOAuth()
    const server = registry.require(name)
    if (options.timeout !== undefined) {
      // Through the hub, which owns the registry while it runs; the proxies started from now on use it.
      const { withHub } = await import('./hub-session')
      await withHub((hub) => hub.call('updateServer', { server: server.name, change: { timeoutMs: options.timeout } }))
      process.stdout.write(`A request to ${server.name} that gets no answer within ${options.timeout} ms is now answered with an error.\n`)
    }
    const change = await openClientConfigs(dataDir).install(options.client, server.name)
    const write = (line: string) => void process.stdout.write(`${line}\n`)
    const client = clientKinds[options.client].displayName
    if (!change.changed) return write(`${client} already starts "${server.name}" through MCP Tray (${change.file}).`)
    write(`${change.created ? 'Created' : 'Updated'} ${change.file}: ${client} now starts "${server.name}" through MCP Tray.`)
    if (change.backup) write(`The previous file is saved as ${change.backup}`)
    await adviseReload(options.client, options.restartClient ?? false, write)
  })
}
