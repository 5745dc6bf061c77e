import { realpathSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import { isClaudeDesktopRunning, restartClaudeDesktop, runCommand } from '../../core/clients/claude-process'
import { ClientConfigs } from '../../core/clients/client-configs'
import { clientIds, clientKinds, isClientId, type ClientId } from '../../core/clients/client-kinds'
import { launchOfProcess, type ProxyLaunch } from '../../core/clients/entry-builder'
import { TrayError } from '../../shared/tray-error'

/** Parses `--client`. */
export function clientOption(value: string): ClientId {
  if (!isClientId(value)) throw new InvalidArgumentError(`expected one of ${clientIds.join(', ')}.`)
  return value
}

export const clientOptionHelp = `the MCP client whose config to change: ${clientIds.join(', ')}`
export const restartOptionHelp = 'quit and restart Claude Desktop when it is running, so that it loads the change'

/** The options of commands that change one client's config: which client, and whether to restart it. */
export interface OneClientOptions {
  readonly client: ClientId
  readonly restartClient?: boolean
}

export function withOneClientOptions(command: Command): Command {
  return command
    .option('--client <client>', clientOptionHelp, clientOption, 'claude-desktop')
    .option('--restart-client', restartOptionHelp)
}

/**
 * How clients should start this CLI's proxy: this very process's executable (`node`, or the app's
 * executable run as Node) and script, symbolic links resolved (a global install links `bin`).
 */
export function launchOfThisCli(): ProxyLaunch {
  const script = process.argv[1]
  if (!script || !/\.[cm]?js$/.test(script)) {
    throw new TrayError('cli_not_built', 'This command writes a launch of the built CLI, but it runs from sources.', {
      hint: 'Run `npm run build` and use `node out/cli/index.js` (or the installed `mcp-tray`).',
    })
  }
  return launchOfProcess({ execPath: process.execPath, scriptPath: realpathSync(script), versions: process.versions })
}

export function openClientConfigs(dataDir: string): ClientConfigs {
  return new ClientConfigs({ dataDir, launch: launchOfThisCli() })
}

/**
 * Says what the person must do for the client to load a change: for Claude Desktop, whether it
 * runs and so must be fully quit and restarted (done here with `restart`); for others, their advice.
 */
export async function adviseReload(client: ClientId, restart: boolean, write: (line: string) => void): Promise<void> {
  const kind = clientKinds[client]
  if (client !== 'claude-desktop') return write(kind.reloadAdvice)
  const deps = { platform: process.platform, run: runCommand }
  if (!(await isClaudeDesktopRunning(deps))) return write('Claude Desktop is not running; it loads the change when it starts.')
  if (!restart) return write(`${kind.reloadAdvice} (Or run this command again with --restart-client to have it done.)`)
  write((await restartClaudeDesktop(deps)).message)
}
