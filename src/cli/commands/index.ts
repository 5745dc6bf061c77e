import type { Command } from 'commander'
import { registerAdd } from './add'
import { registerList } from './list'
import { registerLogin } from './login'
import { registerLogout } from './logout'
import { registerLogs } from './logs'
import { registerProxy } from './proxy'
import { registerServe } from './serve'
import { registerStatus } from './status'

/** Adds one subcommand (or a group of related ones) to the program. */
export type RegisterCommand = (program: Command) => void

/** Every subcommand of `mcp-tray`, in the order `--help` lists them. */
export const commands: readonly RegisterCommand[] = [
  registerAdd,
  registerList,
  registerLogin,
  registerLogout,
  registerStatus,
  registerProxy,
  registerLogs,
  registerServe,
]
