#!/usr/bin/env node
// `npm start`: builds, then runs MCP Tray the best way this machine allows. With an Electron
// binary installed it launches the desktop app. Without one (ELECTRON_SKIP_BINARY_DOWNLOAD, a
// server, a container) it runs the headless hub, `mcp-tray serve`, or, while the CLI has no
// `serve` yet, the fixture remote server to try things against. Ctrl+C and SIGTERM are passed on
// to what runs (SIGTERM to `npm start` itself included), and this script exits with its exit code.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// Taken before the build, which takes seconds: the parent may be gone by the time anything runs.
const launchedBy = process.ppid
const require = createRequire(import.meta.url)
const cli = join(root, 'out', 'cli', 'index.js')
const fixtureServer = 'test/fixtures/remote-server/cli.ts'

/** The file of a locally installed package's command, run with this Node (no npx layer). */
function localBin(pkg, command) {
  const dir = dirname(require.resolve(`${pkg}/package.json`))
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  return join(dir, typeof bin === 'string' ? bin : bin[command])
}

/** Runs `electron-vite build` (the local one) and stops here when it fails. */
function build() {
  const result = spawnSync(process.execPath, [localBin('electron-vite', 'electron-vite'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (result.status !== 0) {
    console.error('start: the build failed; nothing was started.')
    process.exit(result.status ?? 1)
  }
}

/**
 * The Electron binary, when this machine has one. The electron package's own path export
 * tries to download the binary when it is missing, so look for it first, the way that export
 * does (path.txt, then dist/ or ELECTRON_OVERRIDE_DIST_PATH), and only then ask the export.
 */
function electronBinary() {
  const electron = dirname(require.resolve('electron/package.json'))
  const pathFile = join(electron, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (!override && !executable) return undefined
  const candidate = override ? join(override, executable || 'electron') : join(electron, 'dist', executable)
  if (!existsSync(candidate)) return undefined
  return require('electron')
}

/** Whether the built CLI lists a `serve` command in its help. */
function cliHasServe() {
  const help = spawnSync(process.execPath, [cli, '--help'], { cwd: root, encoding: 'utf8' })
  return help.status === 0 && /^\s+serve\b/m.test(help.stdout)
}

/**
 * Runs `command`, passes SIGINT, SIGTERM and SIGHUP on to it, and ends this process the way it
 * ended. `npm start` runs this script through `sh -c`, which dies of a SIGTERM sent to npm without
 * passing it on: this script then finds itself with another parent, and stops what it runs too.
 */
function runForwardingSignals(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  process.on('SIGHUP', forward)
  const orphaned = setInterval(() => {
    if (process.ppid === launchedBy) return
    clearInterval(orphaned)
    forward('SIGTERM')
  }, 250)
  orphaned.unref()
  child.on('error', (error) => {
    console.error(`start: could not run ${command}: ${error.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => {
    clearInterval(orphaned)
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
    process.off('SIGHUP', forward)
    if (code !== null) process.exit(code)
    process.exit(128 + (constants.signals[signal] ?? 0))
  })
}

build()

const electron = electronBinary()
if (electron) {
  const env = { ...process.env }
  // Inherited from a parent that runs Electron as Node, it would make the app a plain Node process.
  delete env.ELECTRON_RUN_AS_NODE
  runForwardingSignals(electron, ['.'], { env })
} else {
  console.log(
    'There is no Electron binary on this machine (it was not downloaded, e.g. with ' +
      'ELECTRON_SKIP_BINARY_DOWNLOAD=1), so MCP Tray starts in its headless mode instead: ' +
      'the same hub without the tray, its dashboard served to your browser.\n',
  )
  if (cliHasServe()) {
    runForwardingSignals(process.execPath, [cli, 'serve'])
  } else {
    console.log(
      'The headless hub (`mcp-tray serve`) is coming and not in this build yet. Starting the ' +
        'fixture remote server instead, a real OAuth-protected MCP server on loopback to try ' +
        'MCP Tray against; its URLs follow.\n',
    )
    if (!existsSync(join(root, fixtureServer))) {
      console.error(`start: ${fixtureServer} is not in this checkout either; nothing to start.`)
      process.exit(1)
    }
    // `npx tsx …` without npx in between: npx dies on SIGTERM without passing it on.
    runForwardingSignals(process.execPath, [localBin('tsx', 'tsx'), fixtureServer])
  }
}
