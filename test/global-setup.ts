import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const builtCli = join(root, 'out', 'cli', 'index.js')

function newestSourceTime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs)
  }
  return newest
}

function builtTime(): number {
  try {
    return statSync(builtCli).mtimeMs
  } catch {
    return 0
  }
}

/**
 * Tests spawn the built CLI exactly as a client config entry would, so the build must be current:
 * build once, before any test file runs, when anything under src/ is newer than out/.
 */
export default function setup(): void {
  if (builtTime() >= newestSourceTime(join(root, 'src'))) return
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  })
}
