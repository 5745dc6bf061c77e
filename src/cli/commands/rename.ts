import type { Command } from 'commander'
import type { ServerView } from '../../shared/server-view'
import { clientKinds } from '../../core/clients/client-kinds'
import { adviseReload, restartOptionHelp } from './client-setup'
import { say } from './server-options'

/**
 * `mcp-tray rename <old> <new>`: through the hub; the sign-in, the secrets and the client entries
 * follow the new name.
 */
export function registerRename(program: Command): void {
  program
    .command('rename')
    .description('Rename a server; its sign-in and its entries in client configs follow.')
    .argument('<name>', 'the server’s name now')
    .argument('<new-name>', 'its new name')
    .option('--restart-client', restartOptionHelp)
    .action(async (name: string, newName: string, options: { restartClient?: boolean }) => {
      const { withHub } = await import('./hub-session')
      const view = await withHub((hub) => hub.call<ServerView>('renameServer', { server: name, newName }))
      say(`Renamed ${name} to ${view.server}.`)
      if (view.clients.length === 0) return
      say(`Its entries follow in ${view.clients.map((client) => clientKinds[client].displayName).join(', ')}; a client that runs it now goes on under the old name until it restarts.`)
      if (view.clients.includes('claude-desktop')) await adviseReload('claude-desktop', options.restartClient ?? false, say)
    })
}
