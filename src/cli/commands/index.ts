import type { Command } from 'commander'
import { registerLogs } from './logs'
import { registerProxy } from './proxy'
import { registerServe } from './serve'

/** Adds one subcommand (or a group of related ones) to the program. */
export type RegisterCommand = (program: Command) => void

/** Every subcommand of `mcp-tray`, in the order `--help` lists them. */
export const commands: readonly RegisterCommand[] = [registerProxy, registerLogs, registerServe]
