import { Command, CommanderError } from 'commander'
import { describeError } from '../shared/tray-error'
import { appVersion } from '../shared/app-version'
import { commandsFor } from './commands'

/**
 * Builds the `mcp-tray` program from the command modules and runs it.
 * Returns the exit code instead of exiting so that callers (and tests) decide when to stop.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('mcp-tray')
    .description('Connect MCP clients such as Claude Desktop to remote MCP servers, signed in and kept alive.')
    .version(appVersion, '-v, --version')
    .exitOverride()
    .showHelpAfterError()
  try {
    for (const register of await Promise.all(commandsFor(argv).map((load) => load()))) register(program)
    await program.parseAsync(argv)
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    process.stderr.write(`mcp-tray: ${describeError(error)}\n`)
    return 1
  }
}
