import type { Command } from 'commander'
import type { RemoveOutcome } from '../../shared/server-view'
import { adviseReload, restartOptionHelp } from './client-setup'
import { describeChange, say } from './server-options'

/** Revocation and a few file writes: the hub gets this long. */
const removeTimeoutMs = 60_000

/**
 * `mcp-tray remove <name>`: through the hub, signs out (revoking where the server offers it), takes
 * the server's entries out of every client config that starts it, and forgets it.
 */
export function registerRemove(program: Command): void {
  program
    .command('remove')
    .description('Remove a server: sign out, take it out of every client config that starts it through MCP Tray, and forget it.')
    .argument('<name>', 'the server’s name (see `mcp-tray list`)')
    .option('--restart-client', restartOptionHelp)
    .action(async (name: string, options: { restartClient?: boolean }) => {
      const { withHub } = await import('./hub-session')
      const outcome = await withHub((hub) => hub.call<RemoveOutcome>('removeServer', { server: name }, { timeoutMs: removeTimeoutMs }))
      const changed = outcome.uninstalled.filter((change) => change.changed)
      say(`Removed ${outcome.server}${outcome.signedOut ? ', signed out' : ''}.`)
      for (const change of changed) say(`  taken out of ${describeChange(change)}`)
      if (changed.some((change) => change.client === 'claude-desktop' && change.restartNeeded)) {
        await adviseReload('claude-desktop', options.restartClient ?? false, say)
      }
    })
}
