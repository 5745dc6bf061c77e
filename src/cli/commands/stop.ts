import type { Command } from 'commander'
import { setTimeout as sleep } from 'node:timers/promises'

/** How long `stop` waits for the hub to let go of its socket. */
const stopWaitMs = 10_000

/** `mcp-tray stop`: ends the hub running for this data folder (headless); never starts one. */
export function registerStop(program: Command): void {
  program
    .command('stop')
    .description('Stop the MCP Tray hub running in the background (or `mcp-tray serve`). Proxies go on with the tokens they hold.')
    .action(async () => {
      const [{ resolveDataDir }, { runningHub, isUnknownMethod }, { connectToHub }, { hubAddressFor }, { TrayError }] = await Promise.all([
        import('../../core/data/data-dir'),
        import('./running-hub'),
        import('../../core/hub/hub-client'),
        import('../../core/hub/hub-address'),
        import('../../shared/tray-error'),
      ])
      const dataDir = resolveDataDir()
      const hub = await runningHub(dataDir)
      if (!hub) return void process.stdout.write('MCP Tray is not running.\n')
      const pid = hub.hubPid
      try {
        await hub.call('stop', undefined, { timeoutMs: 5_000 })
      } catch (error) {
        // A hub from before `stop`: end it the way Ctrl+C in its terminal would.
        if (!isUnknownMethod(error)) throw error
        process.kill(pid, 'SIGTERM')
      } finally {
        hub.close()
      }
      const deadline = Date.now() + stopWaitMs
      while (Date.now() < deadline) {
        const still = await connectToHub(hubAddressFor(dataDir), 'cli', { timeoutMs: 500 }).then(
          (connection) => (connection.close(), true),
          () => false,
        )
        if (!still) return void process.stdout.write(`Stopped MCP Tray (process ${pid}).\n`)
        await sleep(100)
      }
      throw new TrayError('hub_would_not_stop', `MCP Tray (process ${pid}) was asked to stop and still runs.`, {
        hint: `It may be finishing a sign-in; end the process ${pid} if it does not stop.`,
      })
    })
}
