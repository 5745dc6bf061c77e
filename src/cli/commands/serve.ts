import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError, type Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'

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

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the MCP Tray hub without Electron: the socket proxies use, and the dashboard in a browser.')
    .option('--dashboard-port <port>', 'loopback port for the dashboard (0 picks a free one)', port, 0)
    .option('--no-dashboard', 'run the hub only')
    .option('--quiet', 'print nothing once started, and serve no dashboard (used when a proxy starts the hub)')
    .action(async (options: { dashboardPort: number; dashboard: boolean; quiet?: boolean }) => {
      const [{ startTrayHub }, { openHeadlessOAuth }, { installLastResort }] = await Promise.all([
        import('../../core/hub/tray-hub'),
        import('./headless-oauth'),
        import('../../core/hub/last-resort'),
      ])
      const dataDir = resolveDataDir()
      const { registry, engine } = await openHeadlessOAuth()
      // Every proxy of this user depends on this process: what nothing handled is reported, not fatal.
      installLastResort({ write: (line) => void process.stderr.write(line), secrets: engine.vault.secrets })
      let yielded = false
      let stop = (): void => {}
      const stopped = new Promise<void>((resolve) => (stop = resolve))
      const hub = await startTrayHub({
        dataDir,
        shell: 'headless',
        registry,
        engine,
        // A hub a proxy started prints no address, so its dashboard could not be found: serve none.
        rendererDir: options.dashboard && !options.quiet ? bundledRendererDir() : undefined,
        dashboardPort: options.dashboardPort,
        onYield: () => {
          yielded = true
          stop()
        },
      })
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
      }
      // `on`, not `once`: exit-hook libraries loaded by conf re-raise a signal when theirs is the only listener left.
      process.on('SIGINT', stop).on('SIGTERM', stop)
      await stopped
      await hub.close()
      if (yielded && !options.quiet) process.stdout.write('The MCP Tray app runs the hub now; this one has stopped.\n')
      // A sign-in still waiting for its browser would hold the callback port for minutes: end here.
      process.exit(0)
    })
}
