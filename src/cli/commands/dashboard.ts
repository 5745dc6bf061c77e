import type { Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'
import type { DashboardUrlReply } from '../../core/hub/tray-hub'
import { browserOpenerFor } from '../../core/oauth/browser-opener'
import { TrayError } from '../../shared/tray-error'
import { runningHub } from './running-hub'

/** `mcp-tray dashboard`: the headless dashboard's address (with its access token), opened in the browser. */
export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('Open the dashboard of the running MCP Tray hub in your browser (and print its address).')
    .option('--no-open', 'only print the address')
    .action(async (options: { open: boolean }) => {
      const hub = await runningHub(resolveDataDir())
      if (!hub) {
        throw new TrayError('hub_not_running', 'MCP Tray is not running.', { hint: 'Start it with `npm start`, the app, or `mcp-tray serve`; it prints the dashboard address.' })
      }
      try {
        const { url } = (await hub.call('dashboardUrl', {})) as DashboardUrlReply
        if (url === null) {
          throw new TrayError('dashboard_not_served', 'The running MCP Tray serves no dashboard in the browser.', {
            hint: 'The desktop app shows it from its tray icon. A hub a proxy started in the background has none: run `mcp-tray serve`, which takes over from it.',
          })
        }
        process.stdout.write(`Dashboard: ${url}\n`)
        if (options.open) await browserOpenerFor(process.env).open(url).catch(() => undefined)
      } finally {
        hub.close()
      }
    })
}
