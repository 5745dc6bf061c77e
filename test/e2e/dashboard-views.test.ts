import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientIds } from '../../src/shared/client-ids'
import { ServerRegistry } from '../../src/core/registry/server-registry'
import { openConfStore } from '../../src/core/registry/registry-store'
import { startRemoteServer, testUser, type RemoteServer } from '../fixtures/remote-server'
import { launchChromium } from '../fixtures/remote-server/sign-in-chromium'
import { startHeadlessDashboard, type HeadlessDashboard } from '../renderer/support/headless-dashboard'
import { screenshotBothThemes, seriousAxeViolations } from '../renderer/support/page-checks'

/**
 * The dashboard as a person uses it, in Debian's Chromium, against a real headless hub and the
 * fixture server: add a server from the page, sign in through the real login page, install into a
 * temporary Claude Desktop config, spawn that entry as Claude Desktop would and watch its messages
 * arrive live; a failing tool and a timeout show as errors; a server that goes away shows as one
 * without a reload. Every view is checked with axe-core and photographed in both themes.
 */
describe('the dashboard views', () => {
  let server: RemoteServer
  let root: string
  let home: string
  let claudeConfig: string
  let dashboard: HeadlessDashboard
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let client: Client | undefined
  const cspViolations: string[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mcp-tray-dashboard-'))
    home = join(root, 'home')
    claudeConfig = join(root, 'claude_desktop_config.json')
    server = await startRemoteServer()
    // 3334 may be a person's own MCP Tray: a free callback port for this hub.
    new ServerRegistry(openConfStore(home)).updateSettings({ callbackPort: 0 })
    const configs = Object.fromEntries(clientIds.map((id) => [`MCP_TRAY_${id.toUpperCase().replaceAll('-', '_')}_CONFIG`, join(root, `${id}.json`)]))
    dashboard = await startHeadlessDashboard({
      ...process.env,
      ...configs,
      MCP_TRAY_CLAUDE_DESKTOP_CONFIG: claudeConfig,
      MCP_TRAY_HOME: home,
      // No browser opens by itself: the page shows the address, and the test signs in with it.
      BROWSER: 'true',
    })
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dashboard.origin })
    page = await context.newPage()
    page.setDefaultTimeout(10_000)
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text())
    })
    page.on('pageerror', (error) => pageErrors.push(error.message))
  }, 30_000)

  afterAll(async () => {
    await client?.close().catch(() => undefined)
    await browser?.close()
    await dashboard?.stop()
    await server?.close().catch(() => undefined)
    await rm(root, { recursive: true, force: true })
  })

  async function examine(name: string): Promise<void> {
    await screenshotBothThemes(page, name)
    const violations = [...(await seriousAxeViolations(page))]
    await page.emulateMedia({ colorScheme: 'dark' })
    violations.push(...(await seriousAxeViolations(page)).map((violation) => `dark: ${violation}`))
    await page.emulateMedia({ colorScheme: 'light' })
    expect(violations.join('\n'), `${name}: axe-core`).toBe('')
  }

  it('gives nothing to a page or a program without the token', async () => {
    const call = await fetch(`${dashboard.origin}/api/listServers`, { method: 'POST', headers: { origin: dashboard.origin, 'content-type': 'application/json' }, body: '[]' })
    expect(call.status).toBe(401)
    const events = await fetch(`${dashboard.origin}/api/events`, { headers: { accept: 'text/event-stream' } })
    expect(events.status).toBe(401)
    await events.body?.cancel()

    const stranger = await context.newPage()
    await stranger.goto(dashboard.origin)
    await stranger.getByText('MCP Tray does not answer').waitFor()
    expect(await stranger.locator('.server-card').count()).toBe(0)
    await stranger.close()
  })

  it('opens on an empty server list that says how to add the first server', async () => {
    await page.goto(dashboard.url)
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor()
    // The token left the address bar once the page held it.
    expect(page.url()).not.toContain('token=')
    await examine('servers-empty')
  })

  it('previews a URL as it is typed, and says what is wrong with a bad one', async () => {
    await page.getByRole('link', { name: 'Add server' }).first().click()
    const url = page.getByLabel('Server URL')
    await url.fill('not a url at all')
    await page.getByText('This is not a URL').waitFor()
    await url.fill(server.origin)
    // The origin is not the MCP endpoint: the preview offers the path that is.
    await page.getByRole('button', { name: 'Use this URL' }).click()
    expect(await url.inputValue()).toBe(server.mcpUrl)
    await page.getByText('Needed: your browser will open to sign in').waitFor()
    await page.getByText(server.issuer.replace(/\/$/, '')).first().waitFor()
    await page.getByLabel('Name (optional)').fill('fixture')
    await page.getByRole('button', { name: 'Advanced options' }).click()
    await page.getByLabel('Timeout (seconds)').fill('2')
    await examine('add-server-preview')
  })

  it('connects: signs in through the real login page and installs into Claude Desktop', async () => {
    await page.getByRole('button', { name: 'Add server' }).click()
    const address = page.locator('code.address').first()
    await address.waitFor({ timeout: 15_000 })
    await examine('add-server-signing-in')
    const signInUrl = (await address.textContent()) ?? ''
    expect(signInUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)

    const login = await context.newPage()
    await login.goto(signInUrl)
    await login.fill('input[name="login"]', testUser.login)
    await login.fill('input[name="password"]', testUser.password)
    await login.click('button[type="submit"]')
    await login.click('button[type="submit"]:has-text("Continue")')
    await login.waitForURL(/oauth\/callback/)
    await login.close()

    await page.getByText('fixture is added and connected.').waitFor({ timeout: 15_000 })
    await examine('add-server-done')
    const config = JSON.parse(await readFile(claudeConfig, 'utf8')) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> }
    expect(Object.keys(config.mcpServers)).toEqual(['fixture'])

    await page.getByRole('link', { name: 'Go to Servers' }).click()
    const card = page.getByRole('article', { name: 'fixture' })
    await card.waitFor()
    await examine('servers-signed-in')
    // The fixture's authorization server names no subject: "Signed in", with the expiry and scopes.
    await card.getByText(/^Signed in/).waitFor()
    await card.getByText('mcp:tools').waitFor()
    await card.getByText(/expires in \d+ min/).waitFor()
    await card.getByText('Claude Desktop').waitFor()
  })

  it('can be driven from the keyboard: a menu opens, a dialog keeps focus and Escape gives it back', async () => {
    const more = page.getByRole('button', { name: 'More actions for fixture' })
    await more.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('menuitem', { name: 'Sign out' }).waitFor()
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).toBe('Sign out')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Rename fixture' })
    await dialog.waitFor()
    expect(await dialog.getByLabel('New name').evaluate((input) => input === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(await more.evaluate((button) => button === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement)).toBe(true)
  })

  it('says under the field when a name is taken or a server does not answer', async () => {
    await page.goto(`${dashboard.origin}/#/add`)
    await page.getByLabel('Server URL').fill(server.sseUrl)
    await page.getByLabel('Name (optional)').fill('fixture')
    await page.getByRole('button', { name: 'Add server' }).click()
    const nameError = page.locator('.field', { has: page.getByLabel('Name (optional)') }).locator('.field-error')
    await nameError.getByText('already named').waitFor()
    await page.getByLabel('Server URL').fill('http://127.0.0.1:9/mcp')
    await page.getByLabel('Name (optional)').fill('')
    const urlError = page.locator('.field', { has: page.getByLabel('Server URL') }).locator('.field-error')
    await urlError.waitFor()
    expect(await urlError.textContent()).toMatch(/answer|refused|reach/i)
  })

  it('shows each message live in the log as the Claude Desktop entry relays it, failures marked', async () => {
    const config = JSON.parse(await readFile(claudeConfig, 'utf8')) as { mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }> }
    const entry = config.mcpServers.fixture!
    await page.goto(`${dashboard.origin}/#/log`)
    await page.getByRole('heading', { name: 'Live log' }).waitFor()

    client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' })
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...getDefaultEnvironment(), ...entry.env }, stderr: 'pipe' }))
    await client.callTool({ name: 'echo', arguments: { text: 'hello from the dashboard test' } })
    await client.callTool({ name: 'fail', arguments: {} })
    await expect(client.callTool({ name: 'slow', arguments: { ms: 3000 } })).rejects.toThrow()

    const grid = page.getByRole('grid', { name: 'Log messages' })
    await grid.getByRole('row').filter({ hasText: 'tool error' }).first().waitFor()
    await grid.getByRole('row').filter({ hasText: 'timeout' }).first().waitFor()
    const echoAnswer = grid.getByRole('row').filter({ hasText: 'echo' }).filter({ hasText: 'ok' }).first()
    await echoAnswer.click()
    // Its request is found and marked, and the detail pane shows the redacted message.
    await page.locator('.log-row.is-paired').waitFor()
    await page.getByRole('complementary', { name: 'Message details' }).getByText('Its request:').waitFor()
    await page.getByRole('complementary', { name: 'Message details' }).getByText('hello from the dashboard test').waitFor()
    await examine('log')

    await page.getByLabel('Errors only').check()
    await grid.getByRole('row').filter({ hasText: 'tool error' }).first().waitFor()
    const statuses = await grid.locator('.log-body .badge').allTextContents()
    expect(statuses.length).toBeGreaterThan(0)
    expect(statuses.every((status) => ['error', 'tool error', 'failed', 'timeout', 'rejected'].includes(status))).toBe(true)
    await page.getByLabel('Errors only').uncheck()

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export' }).click()
    const exported = await readFile((await (await download).path())!, 'utf8')
    const lines = exported.trim().split('\n').map((line) => JSON.parse(line) as { tool?: string })
    expect(lines.some((line) => line.tool === 'fail')).toBe(true)
  })

  it('counts the tool error and the timeout in the diagnostics, and copies a bug report', async () => {
    await page.goto(`${dashboard.origin}/#/diagnostics?server=fixture`)
    const tiles = page.getByRole('list', { name: 'Totals over the window' })
    await tiles.waitFor()
    await expect.poll(async () => Number(await tiles.getByRole('listitem').filter({ hasText: 'Tool errors' }).locator('.tile-value').textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
    await expect.poll(async () => Number(await tiles.getByRole('listitem').filter({ hasText: 'Timeouts' }).locator('.tile-value').textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)
    await page.locator('.chart canvas').first().waitFor()
    await page.getByRole('button', { name: 'Copy as Markdown' }).click()
    await page.getByText('Copied the bug report for fixture').waitFor()
    const markdown = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())
    expect(markdown).toContain('fixture')
    await examine('diagnostics')
  })

  it('runs the doctor with its steps streaming in', async () => {
    await page.goto(`${dashboard.origin}/#/doctor?server=fixture`)
    const steps = page.getByRole('list', { name: 'Doctor steps' })
    await steps.getByRole('listitem').first().waitFor()
    await page.getByRole('button', { name: 'Run again' }).waitFor({ timeout: 20_000 })
    expect(await steps.getByRole('listitem').count()).toBeGreaterThan(3)
    await examine('doctor')

    // For an address that is not the MCP endpoint, the fix is a button: it opens Add server with the one that is.
    await page.goto(`${dashboard.origin}/#/doctor?url=${encodeURIComponent(server.origin)}`)
    await page.getByRole('button', { name: 'Use this URL' }).click({ timeout: 20_000 })
    await page.getByRole('heading', { name: 'Add server' }).waitFor()
    expect(await page.getByLabel('Server URL').inputValue()).toBe(server.mcpUrl)
  })

  it('edits the settings, with what is wrong said beside the field', async () => {
    await page.goto(`${dashboard.origin}/#/settings`)
    const port = page.getByLabel('Dashboard port')
    await port.fill('80')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Enter a port between 1,024 and 65,535.').waitFor()
    await examine('settings-invalid')
    await port.fill('3399')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('✓ Saved').waitFor()
    await page.getByRole('heading', { name: 'Settings' }).scrollIntoViewIfNeeded()
    await examine('settings')
  })

  it('shows a server that went away as an error, with its last error, without a reload', async () => {
    await page.goto(`${dashboard.origin}/#/servers`)
    const card = page.getByRole('article', { name: 'fixture' })
    await card.getByText('1 proxy attached').waitFor()
    await server.close()
    await expect(client!.callTool({ name: 'echo', arguments: { text: 'anyone there?' } })).rejects.toThrow()
    await card.locator('.state-badge', { hasText: 'Error' }).waitFor({ timeout: 20_000 }).catch(async (error: unknown) => {
      throw new Error(`the card says: ${await card.innerText()}`, { cause: error })
    })
    // The call after the kill finds nothing listening: the card says so, in the proxy's words.
    await card.locator('.callout-error', { hasText: /connection was refused|went away/ }).waitFor().catch(async (error: unknown) => {
      throw new Error(`the card says: ${await card.innerText()}`, { cause: error })
    })
    await examine('servers-error')
  })

  it('says it is reconnecting when the hub goes away', async () => {
    await client?.close().catch(() => undefined)
    client = undefined
    await dashboard.stop()
    await page.getByText('Reconnecting to MCP Tray…').waitFor()
    await screenshotBothThemes(page, 'servers-reconnecting')
    expect(cspViolations).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
