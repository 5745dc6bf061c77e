import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { TrayError } from '../shared/tray-error'

export interface XdgAutostartOptions {
  /** `$XDG_CONFIG_HOME`, else `~/.config`. */
  readonly configHome?: string
  /** The command that starts the app, program first (the AppImage, or the installed executable). */
  readonly command: readonly string[]
  readonly name: string
  /** The desktop entry's file name, without `.desktop`. */
  readonly id: string
}

/**
 * Start at login on Linux, where Electron's `setLoginItemSettings` does nothing: a desktop entry in
 * the XDG autostart folder (XDG Autostart Specification 0.5), read by GNOME, KDE, Xfce and others.
 */
export class XdgAutostart {
  readonly file: string
  readonly #options: XdgAutostartOptions

  constructor(options: XdgAutostartOptions) {
    this.#options = options
    const configHome = options.configHome || join(homedir(), '.config')
    this.file = join(configHome, 'autostart', `${options.id}.desktop`)
  }

  get(): boolean {
    try {
      // An entry the person turned off in their desktop's settings stays there with Hidden=true.
      return !/^Hidden\s*=\s*true\s*$/m.test(readFileSync(this.file, 'utf8'))
    } catch {
      return false
    }
  }

  set(enabled: boolean): void {
    if (!enabled) return rmSync(this.file, { force: true })
    const text = [
      '[Desktop Entry]',
      'Type=Application',
      `Name=${this.#options.name}`,
      `Exec=${execLine(this.#options.command)}`,
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n')
    mkdirSync(dirname(this.file), { recursive: true })
    const temporary = `${this.file}.${process.pid}.tmp`
    writeFileSync(temporary, text, { mode: 0o644 })
    renameSync(temporary, this.file)
  }
}

/**
 * An `Exec` value (Desktop Entry Specification 1.5, "The Exec key"): each argument quoted, `"`,
 * `` ` ``, `$` and `\` escaped inside the quotes, then the backslashes escaped again as the string
 * type requires, and `%` doubled so that it is not read as a field code.
 */
export function execLine(command: readonly string[]): string {
  return command
    .map((argument) => {
      if (/[\n\r]/.test(argument)) {
        throw new TrayError('autostart_bad_path', 'The app’s path contains a line break, which a desktop entry cannot hold.', {
          hint: 'Move MCP Tray to a folder whose path has no line break.',
        })
      }
      const quoted = `"${argument.replace(/["`$\\]/g, (c) => `\\${c}`)}"`
      return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')
    })
    .join(' ')
}
