import { execFile, spawn } from 'node:child_process'
import { posix, win32 } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export interface CommandResult {
  readonly stdout: string
  readonly exitCode: number
}

/**
 * Runs a program with an argument vector (never a shell line). `detach` starts it on its own and
 * returns at once, for launching an app that must outlive us.
 */
export type CommandRunner = (file: string, args: readonly string[], options?: { readonly detach?: boolean }) => Promise<CommandResult>

export const runCommand: CommandRunner = (file, args, options = {}) =>
  new Promise((resolve) => {
    if (options.detach) {
      const child = spawn(file, args, { detached: true, stdio: 'ignore', windowsHide: true })
      child.once('error', () => resolve({ stdout: '', exitCode: 1 }))
      child.once('spawn', () => {
        child.unref()
        resolve({ stdout: '', exitCode: 0 })
      })
      return
    }
    execFile(file, [...args], { windowsHide: true, timeout: 15_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ stdout: String(stdout), exitCode: code })
    })
  })

export interface ClaudeProcessDeps {
  readonly platform: NodeJS.Platform
  readonly run: CommandRunner
}

/** The names of running programs: image names on Windows, executable paths or names elsewhere. */
export async function listProcessNames({ platform, run }: ClaudeProcessDeps): Promise<string[]> {
  if (platform === 'win32') {
    const { stdout } = await run('tasklist', ['/FO', 'CSV', '/NH'])
    return stdout.split(/\r?\n/).flatMap((line) => /^"([^"]+)"/.exec(line)?.[1] ?? [])
  }
  const { stdout } = await run('ps', ['-axo', 'comm'])
  return stdout.split('\n').slice(1).map((line) => line.trim()).filter(Boolean)
}

/**
 * Claude Desktop's main process, not its helpers and not Claude Code: `Claude` on macOS (Claude
 * Code's process is lowercase `claude`), `claude.exe` on Windows, and on Linux, where only
 * community builds exist, `claude-desktop` or `Claude`.
 */
export function isClaudeDesktopProcess(name: string, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') return win32.basename(name).toLowerCase() === 'claude.exe'
  const base = posix.basename(name)
  if (platform === 'darwin') return base === 'Claude'
  return base === 'Claude' || base === 'claude-desktop'
}

export async function isClaudeDesktopRunning(deps: ClaudeProcessDeps): Promise<boolean> {
  return (await listProcessNames(deps)).some((name) => isClaudeDesktopProcess(name, deps.platform))
}

export interface RestartOutcome {
  /** True when Claude Desktop was quit and started again. */
  readonly restarted: boolean
  /** What was run, in order, for the log. */
  readonly steps: readonly string[]
  /** What to tell the person. */
  readonly message: string
}

export interface RestartDeps extends ClaudeProcessDeps {
  /** How long to wait for Claude Desktop to quit. */
  readonly quitTimeoutMs?: number
  readonly pause?: (ms: number) => Promise<unknown>
}

/**
 * Quits Claude Desktop fully and starts it again so that it loads its config: AppleScript `quit`
 * then `open -a Claude` on macOS; on Windows, where closing the window leaves it in the tray,
 * `taskkill` and a start of the same executable. On Linux it only says what to do.
 */
export async function restartClaudeDesktop(deps: RestartDeps): Promise<RestartOutcome> {
  const { platform, run } = deps
  const steps: string[] = []
  const step = async (file: string, args: readonly string[], options?: { detach?: boolean }): Promise<CommandResult> => {
    steps.push([file, ...args].join(' '))
    return run(file, args, options)
  }
  const manual = (message: string): RestartOutcome => ({ restarted: false, steps, message })

  if (!(await isClaudeDesktopRunning(deps))) return manual('Claude Desktop is not running; it loads the change when it starts.')
  if (platform === 'darwin') {
    await step('osascript', ['-e', 'quit app "Claude"'])
    if (!(await waitForExit(deps))) return manual('Claude Desktop did not quit; quit it from its menu (Claude → Quit) and start it again.')
    const opened = await step('open', ['-a', 'Claude'])
    return opened.exitCode === 0
      ? { restarted: true, steps, message: 'Claude Desktop was restarted and loads the change now.' }
      : manual('Claude Desktop quit but could not be started again; start it from Applications.')
  }
  if (platform === 'win32') {
    const found = await step('powershell', ['-NoProfile', '-NonInteractive', '-Command', '(Get-Process -Name claude -ErrorAction SilentlyContinue | Select-Object -First 1).Path'])
    const executable = found.stdout.trim()
    await step('taskkill', ['/IM', 'claude.exe', '/T', '/F'])
    if (!(await waitForExit(deps))) return manual('Claude Desktop did not quit; quit it from its tray icon and start it again.')
    if (!executable) return manual('Claude Desktop was quit; start it again from the Start menu to load the change.')
    const started = await step(executable, [], { detach: true })
    return started.exitCode === 0
      ? { restarted: true, steps, message: 'Claude Desktop was restarted and loads the change now.' }
      : manual('Claude Desktop was quit but could not be started again; start it from the Start menu.')
  }
  return manual('Quit Claude Desktop fully and start it again to load the change (MCP Tray does not restart it on Linux).')
}

async function waitForExit(deps: RestartDeps): Promise<boolean> {
  const pause = deps.pause ?? sleep
  const deadline = Date.now() + (deps.quitTimeoutMs ?? 15_000)
  while (Date.now() < deadline) {
    if (!(await isClaudeDesktopRunning(deps))) return true
    await pause(250)
  }
  return !(await isClaudeDesktopRunning(deps))
}
