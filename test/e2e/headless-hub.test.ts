import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import { connectOrStartHub } from '../../src/core/hub/hub-launcher'
import { launchChromium } from '../fixtures/remote-server/sign-in-chromium'
import { runProcess } from '../support/run-process'

const cliScript = join(import.meta.dirname, '..', '..', 'out', 'cli', 'index.js')

/** Runs `mcp-tray serve` and resolves with its child once it prints the dashboard URL. */
function startServe(home: string): Promise<{ child: ChildProcess; dashboardUrl: string }> {
  const child = spawn(process.execPath, [cliScript, 'serve'], { env: { ...process.env, MCP_TRAY_HOME: home } })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      // A hub left running would outlive the test run.
      child.kill('SIGTERM')
      reject(new Error(`serve printed no dashboard URL: ${output}`))
    }, 10_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const url = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({ child, dashboardUrl: url })
      }
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)))
  })
}

describe('mcp-tray serve', () => {
  let home: string
  let serve: { child: ChildProcess; dashboardUrl: string }
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-serve-'))
    serve = await startServe(home)
  })
  afterAll(async () => {
    serve.child.kill('SIGTERM')
    await rm(home, { recursive: true, force: true })
  })

  it('shows the dashboard in Chromium, fed by the hub over loopback HTTP', async () => {
    const browser = await launchChromium()
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 600 } })
      await page.goto(serve.dashboardUrl)
      await page.getByText('No servers yet').waitFor({ timeout: 10_000 })
      const body = await page.locator('body').innerText()
      expect(body).toContain('MCP Tray')
      expect(body).toMatch(/headless/i)
      await mkdir('test-results', { recursive: true })
      await page.screenshot({ path: join('test-results', 'headless-dashboard.png') })
    } finally {
      await browser.close()
    }
  }, 60_000)

  it('refuses dashboard calls from another origin', async () => {
    const response = await fetch(new URL('/api/getAppInfo', serve.dashboardUrl), {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '[]',
    })
    expect(response.status).toBe(403)
  })

  it('stops cleanly on SIGTERM: exit code 0 and its socket gone', async () => {
    const other = await mkdtemp(join(tmpdir(), 'mcp-tray-serve-stop-'))
    try {
      const { child } = await startServe(other)
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      expect(existsSync(hubAddressFor(other).socketPath)).toBe(false)
    } finally {
      await rm(other, { recursive: true, force: true })
    }
  })

  it('tells `mcp-tray dashboard` the address with its access token', async () => {
    const { code, stdout } = await runProcess(process.execPath, [cliScript, 'dashboard', '--no-open'], { ...process.env, MCP_TRAY_HOME: home })
    expect(code).toBe(0)
    expect(stdout).toBe(`Dashboard: ${serve.dashboardUrl}\n`)
    expect(serve.dashboardUrl).toMatch(/#token=/)
  })

  it('answers on its socket to a client holding the secret', async () => {
    const connection = await connectToHub(hubAddressFor(home), 'cli')
    expect(await connection.call('appInfo')).toMatchObject({ name: 'MCP Tray', shell: 'headless' })
    connection.close()
  })
})

describe('a client that finds no hub', () => {
  it('starts one in the background and connects to it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-tray-launch-'))
    const address = hubAddressFor(home)
    const connection = await connectOrStartHub(address, 'proxy', {
      executable: process.execPath,
      cliScript,
      env: { ...process.env, MCP_TRAY_HOME: home },
      insideApp: false,
    })
    try {
      expect(connection.hubPid).not.toBe(process.pid)
      expect(await connection.call('appInfo')).toMatchObject({ shell: 'headless' })
    } finally {
      connection.close()
      process.kill(connection.hubPid, 'SIGTERM')
      await rm(home, { recursive: true, force: true })
    }
  })

  it('meets one hub when several start one at the same moment, and the others exit', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-tray-launch-'))
    const address = hubAddressFor(home)
    const launch = { executable: process.execPath, cliScript, env: { ...process.env, MCP_TRAY_HOME: home }, insideApp: false }
    const connections = await Promise.all(Array.from({ length: 3 }, () => connectOrStartHub(address, 'proxy', launch)))
    try {
      expect(new Set(connections.map((connection) => connection.hubPid)).size).toBe(1)
      expect(await connections[2]!.call('appInfo')).toMatchObject({ shell: 'headless' })
      await vi.waitFor(async () => expect(await processesWithHome(home)).toEqual([connections[0]!.hubPid]), { timeout: 10_000 })
    } finally {
      for (const connection of connections) connection.close()
      process.kill(connections[0]!.hubPid, 'SIGTERM')
      await vi.waitFor(async () => expect(await processesWithHome(home)).toEqual([]), { timeout: 5_000 })
      await rm(home, { recursive: true, force: true })
    }
  })
})

/** Processes of this user whose environment names `home` as the data folder (Linux; elsewhere none are seen). */
async function processesWithHome(home: string): Promise<number[]> {
  if (process.platform !== 'linux') return []
  const marker = `MCP_TRAY_HOME=${home}\0`
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))
  const matches = await Promise.all(
    pids.map(async (pid) => ((await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')).includes(marker) ? Number(pid) : undefined)),
  )
  return matches.filter((pid): pid is number => pid !== undefined)
}
