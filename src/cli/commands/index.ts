import type { Command } from 'commander'
import { registerAdd } from './add'
import { registerImportMcpRemote } from './import-mcp-remote'
import { registerInstall } from './install'
import { registerList } from './list'
import { registerLogin } from './login'
import { registerLogout } from './logout'
import { registerLogs } from './logs'
import { registerProxy } from './proxy'
import { registerServe } from './serve'
import { registerStatus } from './status'
import { registerUninstall } from './uninstall'

/** Adds one subcommand (or a group of related ones) to the program. */
export type RegisterCommand = (program: Command) => void

/** Every subcommand of `mcp-tray`, in the order `--help` lists them. */
export const commands: readonly RegisterCommand[] = [
  registerAdd,
  registerList,
  registerLogin,
  registerLogout,
  registerStatus,
  registerInstall,
  registerUninstall,
  registerImportMcpRemote,
  registerProxy,
  registerLogs,
  registerServe,
]
