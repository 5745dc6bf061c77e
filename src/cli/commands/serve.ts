import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError, type Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'

function port(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('expected a port number (0-65535).')
  return parsed
}

/** The built dashboard beside the built CLI (out/renderer next to out/cli), when there is one. */
function bundledRendererDir(): string | undefined {
  const dir = fileURLToPath(new URL('../renderer', import.meta.url))
  return existsSync(`${dir}/index.html`) ? dir : undefined
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the MCP Tray hub without Electron: the socket proxies use, and the dashboard in a browser.')
    .option('--dashboard-port <port>', 'loopback port for the dashboard (0 picks a free one)', port, 0)
    .option('--no-dashboard', 'run the hub only')
    .option('--quiet', 'print nothing once started (used when a proxy starts the hub)')
    .action(async (options: { dashboardPort: number; dashboard: boolean; quiet?: boolean }) => {
      const [{ startHeadlessHub }, { ServerStatusBoard }, { tokenHandlers }, { headerHandlers }, { openHeadlessOAuth }] = await Promise.all([
        import('../../core/hub/headless-hub'),
        import('../../core/hub/server-status'),
        import('../../core/hub/token-handlers'),
        import('../../core/hub/header-handlers'),
        import('./headless-oauth'),
      ])
      const dataDir = resolveDataDir()
      const { registry, engine } = await openHeadlessOAuth()
      const status = new ServerStatusBoard({ knownServers: () => registry.list().map((s) => s.name) })
      const hub = await startHeadlessHub({
        dataDir,
        status,
        handlers: new Map([...tokenHandlers(engine, registry, status), ...headerHandlers(engine.vault)]),
        rendererDir: options.dashboard ? bundledRendererDir() : undefined,
        dashboardPort: options.dashboardPort,
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
      await new Promise<void>((resolve) => {
        // `on`, not `once`: exit-hook libraries loaded by conf re-raise a signal when theirs is the only listener left.
        process.on('SIGINT', resolve)
        process.on('SIGTERM', resolve)
      })
      await hub.close()
    })
}
