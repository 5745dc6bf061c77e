import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError, type Command } from 'commander'
import type { ProxyLaunch } from '../../core/clients/entry-builder'
import { resolveDataDir } from '../../core/data/data-dir'
import { notificationLine } from '../../core/tray/notification-line'
import { hubAddressFor } from '../../core/hub/hub-address'
import type { IdleStopReason } from '../../core/hub/idle-stop'

function port(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('expected a port number (0-65535).')
  return parsed
}

/**
 * The built dashboard beside the built CLI (out/renderer next to out/cli), when there is one. This
 * module may be bundled into out/cli or into a chunk below it, so both depths are looked at
 * (`assets` tells the built dashboard from the sources in src/renderer).
 */
function bundledRendererDir(): string | undefined {
  return ['../renderer', '../../renderer']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((dir) => existsSync(`${dir}/index.html`) && existsSync(`${dir}/assets`))
}

type StopReason = 'signal' | 'yield' | 'stop' | IdleStopReason

/** What the terminal is told when the hub stops for a reason other than Ctrl+C. */
const stopWords: Partial<Record<StopReason, string>> = {
  yield: 'The MCP Tray app runs the hub now; this one has stopped.',
  stop: 'Stopped by `mcp-tray stop`.',
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the MCP Tray hub without Electron: the socket proxies use, and the dashboard in a browser. Takes over from a hub a proxy started in the background.')
    .option('--dashboard-port <port>', 'loopback port for the dashboard (default: the dashboardPort setting, 3335; 0 picks a free one)', port)
    .option('--no-dashboard', 'run the hub only')
    .option('--quiet', 'print nothing once started, serve no dashboard, and stop once nothing needs the hub (used when a proxy starts it)')
    .action(async (options: { dashboardPort?: number; dashboard: boolean; quiet?: boolean }) => {
      const [{ startTrayHub }, { openHeadlessOAuth }, { installLastResort }, { askHubToYield }, { launchOfThisCli }, { TrayError }] = await Promise.all([
        import('../../core/hub/tray-hub'),
        import('./headless-oauth'),
        import('../../core/hub/last-resort'),
        import('../../core/hub/hub-takeover'),
        import('./client-setup'),
        import('../../shared/tray-error'),
      ])
      const dataDir = resolveDataDir()
      const { registry, engine } = await openHeadlessOAuth()
      // Every proxy of this user depends on this process: what nothing handled is reported, not fatal.
      installLastResort({ write: (line) => void process.stderr.write(line), secrets: engine.vault.secrets })
      let reason: StopReason = 'signal'
      let stop = (): void => {}
      const stopped = new Promise<void>((resolve) => (stop = resolve))
      const stopFor = (why: StopReason) => () => {
        reason = why
        stop()
      }
      const hubOptions: Parameters<typeof startTrayHub>[0] = {
        dataDir,
        shell: 'headless',
        registry,
        engine,
        // A hub a proxy started prints no address, so its dashboard could not be found: serve none.
        rendererDir: options.dashboard && !options.quiet ? bundledRendererDir() : undefined,
        dashboardPort: options.dashboardPort ?? registry.settings().dashboardPort,
        onYield: stopFor('yield'),
        onStop: stopFor('stop'),
        // One a person started in a terminal gives way to the app only, not to another `serve`.
        yieldsTo: options.quiet ? 'anyone' : 'app',
        ...(options.quiet ? { idleStop: { onStop: (why: IdleStopReason) => stopFor(why)() } } : {}),
        ...proxyLaunch(launchOfThisCli),
      }
      let hub: Awaited<ReturnType<typeof startTrayHub>> | undefined
      // A proxy may start another background hub between the yield and the start: ask again, a few times.
      for (let attempt = 1; !hub; attempt += 1) {
        try {
          hub = await startTrayHub(hubOptions)
        } catch (error) {
          if (options.quiet || !(error instanceof TrayError) || error.code !== 'hub_already_running' || attempt === 3) throw error
          if (attempt === 1) process.stdout.write('MCP Tray already runs in the background (a proxy started it); taking over from it.\n')
          await askHubToYield(hubAddressFor(dataDir), { as: 'serve' })
        }
      }
      if (!options.quiet) {
        process.stdout.write(
          [
            'MCP Tray hub is running (headless).',
            `  Data folder: ${dataDir}`,
            `  Hub socket:  ${hub.hub.address.socketPath}`,
            hub.dashboard
              ? `  Dashboard:   ${hub.dashboard.url}`
              : options.dashboard
                ? '  Dashboard:   not built (run `npm run build`)'
                : '  Dashboard:   off',
            'Press Ctrl+C to stop.',
            '',
          ].join('\n'),
        )
        // What needs the person (a sign-in, a server that keeps failing) is told here too, with what to run.
        hub.notifications.onNotification((notification) => process.stdout.write(notificationLine(notification)))
      }
      // `on`, not `once`: exit-hook libraries loaded by conf re-raise a signal when theirs is the only listener left.
      process.on('SIGINT', stop).on('SIGTERM', stop)
      await stopped
      await hub.close()
      const words = stopWords[reason]
      if (words && !options.quiet) process.stdout.write(`${words}\n`)
      // A sign-in still waiting for its browser would hold the callback port for minutes: end here.
      process.exit(0)
    })
}

/** How clients start this CLI's proxy, for the entries the hub writes; none when it runs from sources. */
function proxyLaunch(launchOfThisCli: () => ProxyLaunch): { proxyLaunch?: ProxyLaunch } {
  try {
    return { proxyLaunch: launchOfThisCli() }
  } catch {
    return {}
  }
}
