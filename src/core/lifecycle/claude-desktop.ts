import { isClaudeDesktopRunning, restartClaudeDesktop, runCommand, type CommandRunner, type RestartOutcome } from '../clients/claude-process'

/** What the use cases need of Claude Desktop, which loads its config only when it starts. */
export interface ClaudeDesktopControl {
  isRunning(): Promise<boolean>
  /** Quits and starts it again where the platform allows; otherwise says what to do. */
  restart(): Promise<RestartOutcome>
}

/** Claude Desktop on this machine, found in the process list. */
export function systemClaudeDesktop(platform: NodeJS.Platform = process.platform, run: CommandRunner = runCommand): ClaudeDesktopControl {
  const deps = { platform, run }
  return {
    // A process list that cannot be read says nothing is running: the advice then is to start it.
    isRunning: () => isClaudeDesktopRunning(deps).catch(() => false),
    restart: () => restartClaudeDesktop(deps),
  }
}
