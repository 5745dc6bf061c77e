import { app } from 'electron'

/**
 * Claims the one MCP Tray of this user. Returns false when another instance holds it; that
 * instance is told through `onSecondInstance` (wired by the caller), and this one should quit.
 */
export function claimSingleInstance(): boolean {
  return app.requestSingleInstanceLock()
}

/** Runs `handler` with the arguments of whoever starts MCP Tray again while this instance runs. */
export function onSecondInstance(handler: (argv: readonly string[]) => void): void {
  app.on('second-instance', (_event, argv) => handler(argv))
}
