import { spawn } from 'node:child_process'
import { TrayError } from '../../shared/tray-error'

/** Opens the authorization URL for the person: `open` headless, `shell.openExternal` in the app. */
export interface BrowserOpener {
  open(url: string): Promise<void>
}

/**
 * RFC 8252 §4 (the system browser) and RFC 9700 §4.15: only http and https URLs are ever handed
 * to a browser; a `javascript:`, `file:` or custom-scheme URL from server metadata is refused.
 */
export function assertBrowsable(url: string): URL {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new TrayError('unsafe_browser_url', `Refusing to open "${url.slice(0, 80)}": only http and https addresses are opened.`, {
      hint: "The server's metadata points sign-in somewhere unsafe; tell the server operator.",
    })
  }
  return parsed
}

/** Runs `$BROWSER <url>` through the shell, the convention of xdg-open and Python's webbrowser. */
export class CommandBrowserOpener implements BrowserOpener {
  constructor(readonly command: string) {}

  async open(url: string): Promise<void> {
    const safe = assertBrowsable(url).href
    const quoted = process.platform === 'win32' ? `"${safe.replace(/"/g, '%22')}"` : `'${safe.replace(/'/g, "'\\''")}'`
    const child = spawn(`${this.command} ${quoted}`, { shell: true, stdio: 'ignore', detached: process.platform !== 'win32' })
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', (cause) =>
        reject(new TrayError('browser_failed', `Could not run the BROWSER command "${this.command}".`, { hint: 'Check the BROWSER environment variable.', cause })),
      )
    })
    child.unref()
  }
}

/** The `open` package: the default browser of the desktop, for headless runs. */
export class SystemBrowserOpener implements BrowserOpener {
  async open(url: string): Promise<void> {
    const safe = assertBrowsable(url).href
    const { default: open } = await import('open')
    const child = await open(safe)
    child.unref()
  }
}

/** In the app: `shell.openExternal`, passed in from src/main. */
export class ExternalShellOpener implements BrowserOpener {
  constructor(readonly openExternal: (url: string) => Promise<void>) {}

  async open(url: string): Promise<void> {
    await this.openExternal(assertBrowsable(url).href)
  }
}

/** `BROWSER` when set (tests set it), else the given default. */
export function browserOpenerFor(env: NodeJS.ProcessEnv, fallback: BrowserOpener = new SystemBrowserOpener()): BrowserOpener {
  const command = env.BROWSER?.trim()
  return command ? new CommandBrowserOpener(command) : fallback
}
