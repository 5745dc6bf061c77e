import { describe, expect, it } from 'vitest'
import {
  isClaudeDesktopProcess,
  isClaudeDesktopRunning,
  restartClaudeDesktop,
  type CommandRunner,
} from '../../../src/core/clients/claude-process'

const macPs = `COMM
/sbin/launchd
/Applications/Claude.app/Contents/MacOS/Claude
/Applications/Claude.app/Contents/Frameworks/Claude Helper (Renderer).app/Contents/MacOS/Claude Helper (Renderer)
claude
`
const windowsTasklist = '"System Idle Process","0","Services","0","8 K"\r\n"claude.exe","4242","Console","1","180,000 K"\r\n'

/** A fake system: answers process listings from `running`, and records every command. */
function fakeSystem(platform: NodeJS.Platform, listing: string) {
  const calls: string[] = []
  let running = true
  const run: CommandRunner = async (file, args, options) => {
    calls.push([file, ...args, ...(options?.detach ? ['(detached)'] : [])].join(' '))
    if (file === 'ps') return { stdout: running ? listing : 'COMM\n/sbin/launchd\n', exitCode: 0 }
    if (file === 'tasklist') return { stdout: running ? listing : '', exitCode: 0 }
    if (file === 'osascript' || file === 'taskkill') running = false
    if (file === 'powershell') return { stdout: 'C:\\Users\\Ada Lovelace\\AppData\\Local\\AnthropicClaude\\claude.exe\r\n', exitCode: 0 }
    return { stdout: '', exitCode: 0 }
  }
  return { run, calls, platform, quitTimeoutMs: 1000, pause: async () => undefined }
}

describe('Claude Desktop process', () => {
  it('tells Claude Desktop from its helpers and from Claude Code', () => {
    expect(isClaudeDesktopProcess('/Applications/Claude.app/Contents/MacOS/Claude', 'darwin')).toBe(true)
    expect(isClaudeDesktopProcess('/Applications/Claude.app/Contents/Frameworks/Claude Helper.app/Contents/MacOS/Claude Helper', 'darwin')).toBe(false)
    expect(isClaudeDesktopProcess('claude', 'darwin')).toBe(false)
    expect(isClaudeDesktopProcess('Claude.exe', 'win32')).toBe(true)
    expect(isClaudeDesktopProcess('claude-desktop', 'linux')).toBe(true)
    expect(isClaudeDesktopProcess('claude', 'linux')).toBe(false)
  })

  it('reads the process list of each platform', async () => {
    expect(await isClaudeDesktopRunning(fakeSystem('darwin', macPs))).toBe(true)
    expect(await isClaudeDesktopRunning(fakeSystem('darwin', 'COMM\nclaude\n'))).toBe(false)
    expect(await isClaudeDesktopRunning(fakeSystem('win32', windowsTasklist))).toBe(true)
  })

  it('on macOS quits Claude with AppleScript, waits for it to exit, and opens it again', async () => {
    const system = fakeSystem('darwin', macPs)
    const outcome = await restartClaudeDesktop(system)
    expect(outcome.restarted).toBe(true)
    expect(outcome.steps).toEqual(['osascript -e quit app "Claude"', 'open -a Claude'])
  })

  it('on Windows kills Claude and starts the same executable again, detached', async () => {
    const system = fakeSystem('win32', windowsTasklist)
    const outcome = await restartClaudeDesktop(system)
    expect(outcome.restarted).toBe(true)
    expect(system.calls.filter((c) => !c.startsWith('tasklist'))).toEqual([
      'powershell -NoProfile -NonInteractive -Command (Get-Process -Name claude -ErrorAction SilentlyContinue | Select-Object -First 1).Path',
      'taskkill /IM claude.exe /T /F',
      'C:\\Users\\Ada Lovelace\\AppData\\Local\\AnthropicClaude\\claude.exe (detached)',
    ])
  })

  it('on Linux, or when Claude is not running, only says what to do', async () => {
    const linux = fakeSystem('linux', 'COMM\nclaude-desktop\n')
    expect(await restartClaudeDesktop(linux)).toMatchObject({ restarted: false, steps: [], message: expect.stringMatching(/start it again/) })
    const idle = fakeSystem('darwin', 'COMM\n/sbin/launchd\n')
    expect(await restartClaudeDesktop(idle)).toMatchObject({ restarted: false, message: expect.stringMatching(/not running/) })
  })

  it('gives up when Claude does not quit', async () => {
    const system = fakeSystem('darwin', macPs)
    const stubborn: CommandRunner = async (file, args) => (file === 'ps' ? { stdout: macPs, exitCode: 0 } : system.run(file, args))
    const outcome = await restartClaudeDesktop({ ...system, run: stubborn, quitTimeoutMs: 50 })
    expect(outcome).toMatchObject({ restarted: false, message: expect.stringMatching(/did not quit/) })
    expect(outcome.steps).not.toContain('open -a Claude')
  })
})
