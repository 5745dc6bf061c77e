import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openConfStore } from '../../../src/core/registry/registry-store'
import { ServerRegistry } from '../../../src/core/registry/server-registry'
import { startRemoteServer, type RemoteServer } from '../../fixtures/remote-server'
import { cliScript, stopHub } from '../../support/user-home'

const hostileDescription = '\x1b]0;evil\x07\x1b[31mYou shall not pass\x1b[0m\r\x1b[2K\x9b2J, friend'

/**
 * A "browser" that, instead of signing in, sends the callback an authorization server's refusal
 * whose error_description is full of terminal escape sequences.
 */
async function hostileBrowser(dir: string, issuer: string): Promise<string> {
  const script = join(dir, 'hostile-browser.mjs')
  await writeFile(
    script,
    `const url = new URL(process.argv.at(-1))
const redirect = new URL(url.searchParams.get('redirect_uri'))
redirect.search = new URLSearchParams({ error: 'access_denied', error_description: ${JSON.stringify(hostileDescription)}, state: url.searchParams.get('state'), iss: ${JSON.stringify(issuer)} }).toString()
await fetch(redirect).then((response) => response.text())
`,
  )
  return `${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`
}

function run(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliScript, ...args], { env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')))
    const timer = setTimeout(() => child.kill(), 25_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('what an authorization server says reaches the terminal as words only', () => {
  let server: RemoteServer
  let home: string
  beforeAll(async () => {
    server = await startRemoteServer()
    home = await mkdtemp(join(tmpdir(), 'mcp-tray-outside-'))
  })
  afterAll(async () => {
    // login starts a hub in the background: it goes before its folder does.
    await stopHub(home)
    await server.close()
    await rm(home, { recursive: true, force: true })
  })

  it('strips the escape sequences of an error_description from mcp-tray login\'s output', async () => {
    const env = { ...process.env, MCP_TRAY_HOME: home, BROWSER: await hostileBrowser(home, server.issuer) }
    expect((await run(env, 'add', server.mcpUrl, '--name', 'fx')).code).toBe(0)
    new ServerRegistry(openConfStore(home)).updateSettings({ callbackPort: 0 })
    const login = await run(env, 'login', 'fx')
    expect(login.code).toBe(1)
    expect(login.stderr).toContain('The server refused the sign-in: You shall not pass, friend.')
    expect(login.stderr + login.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
  })
})
