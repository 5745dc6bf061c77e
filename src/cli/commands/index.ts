import type { Command } from 'commander'

/** Adds one subcommand to the program. */
export type RegisterCommand = (program: Command) => void

/**
 * Every subcommand of `mcp-tray`, in the order `--help` lists them, each loaded only when it is
 * run (or when help lists them all): a client launches `mcp-tray proxy` for every connection, and
 * parsing the other commands' code would be most of its start-up time.
 */
export const commands: ReadonlyArray<readonly [name: string, load: () => Promise<RegisterCommand>]> = [
  ['connect', async () => (await import('./connect')).registerConnect],
  ['add', async () => (await import('./add')).registerAdd],
  ['list', async () => (await import('./list')).registerList],
  ['login', async () => (await import('./login')).registerLogin],
  ['logout', async () => (await import('./logout')).registerLogout],
  ['status', async () => (await import('./status')).registerStatus],
  ['doctor', async () => (await import('./doctor')).registerDoctor],
  ['install', async () => (await import('./install')).registerInstall],
  ['uninstall', async () => (await import('./uninstall')).registerUninstall],
  ['set', async () => (await import('./set')).registerSet],
  ['rename', async () => (await import('./rename')).registerRename],
  ['remove', async () => (await import('./remove')).registerRemove],
  ['import-mcp-remote', async () => (await import('./import-mcp-remote')).registerImportMcpRemote],
  ['proxy', async () => (await import('./proxy')).registerProxy],
  ['logs', async () => (await import('./logs')).registerLogs],
  ['serve', async () => (await import('./serve')).registerServe],
  ['stop', async () => (await import('./stop')).registerStop],
  ['settings', async () => (await import('./settings')).registerSettings],
  ['dashboard', async () => (await import('./dashboard')).registerDashboard],
]

/** The commands to load for one command line: the one it names, none for the version, or all of them (help, typos). */
export function commandsFor(argv: readonly string[]): ReadonlyArray<() => Promise<RegisterCommand>> {
  if (argv.length === 3 && (argv[2] === '-v' || argv[2] === '--version')) return []
  const named = commands.find(([name]) => name === argv[2])
  return named ? [named[1]] : commands.map(([, load]) => load)
}
