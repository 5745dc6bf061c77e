import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assertBrowsable, browserOpenerFor, CommandBrowserOpener, ExternalShellOpener, SystemBrowserOpener } from '../../../src/core/oauth/browser-opener'

describe('BrowserOpener', () => {
  it('opens only http and https URLs', async () => {
    expect(assertBrowsable('https://as.example/auth?x=1').href).toBe('https://as.example/auth?x=1')
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'ms-settings:', 'not a url']) {
      expect(() => assertBrowsable(bad)).toThrow(/only http and https/)
    }
    const opened: string[] = []
    const shell = new ExternalShellOpener(async (url) => void opened.push(url))
    await expect(shell.open('file:///etc/passwd')).rejects.toMatchObject({ code: 'unsafe_browser_url' })
    await shell.open('http://127.0.0.1:1/x')
    expect(opened).toEqual(['http://127.0.0.1:1/x'])
  })

  it('honours BROWSER, passing the URL as one quoted argument', async () => {
    expect(browserOpenerFor({ BROWSER: 'my-browser' })).toBeInstanceOf(CommandBrowserOpener)
    expect(browserOpenerFor({})).toBeInstanceOf(SystemBrowserOpener)
    const out = join(await mkdtemp(join(tmpdir(), 'browser-')), 'url.txt')
    const opener = new CommandBrowserOpener(`${JSON.stringify(process.execPath)} -e "require('fs').writeFileSync(process.argv[1], process.argv[2] ?? '')" ${JSON.stringify(out)}`)
    const url = "https://as.example/auth?a=1&b=it's;echo pwned"
    await opener.open(url)
    await expect.poll(() => readFile(out, 'utf8').catch(() => '')).toBe(new URL(url).href)
    await expect(opener.open('javascript:alert(1)')).rejects.toMatchObject({ code: 'unsafe_browser_url' })
  })
})
