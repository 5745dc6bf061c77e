import type { Command } from 'commander'
import type { AppSettings, AppSettingsChange } from '../../shared/app-settings'
import { say } from './server-options'

/** What each setting means, in the order `mcp-tray settings` lists them. */
const meanings: Readonly<Record<keyof AppSettings, string>> = {
  callbackPort: 'first port tried for the sign-in callback',
  signInTimeoutMs: 'how long a sign-in waits for the browser, in ms',
  defaultTimeoutMs: 'how long a proxy waits for an answer when its server has no timeout, in ms',
  enabledClients: 'clients Connect adds servers to besides Claude Desktop (comma-separated)',
  dashboardPort: 'the headless dashboard’s port',
  idleStopMinutes: 'a hub a proxy started stops after this many minutes with nothing needing it',
  proxyUrl: 'an HTTP(S) proxy for every outgoing request',
  trustSystemCertificates: 'trust the system’s certificate store as well as Node’s',
  maxMessageBytes: 'largest single message from a server or a client, in bytes',
  clientMetadataUrl: 'where MCP Tray’s OAuth client metadata document is published',
  startAtLogin: 'start the app when you log in (the app only)',
}

/**
 * `mcp-tray settings [key=value …]`: shows the app's settings, or changes them through the hub.
 * `key=` clears an optional one.
 */
export function registerSettings(program: Command): void {
  program
    .command('settings')
    .description('Show MCP Tray’s settings, or change them: `mcp-tray settings key=value …` (`key=` clears an optional one).')
    .argument('[changes...]', 'settings to change, as key=value')
    .option('--json', 'machine-readable output')
    .action(async (changes: string[], options: { json?: boolean }) => {
      const [{ withHub }, { settingsReadAtStart }] = await Promise.all([import('./hub-session'), import('../../core/lifecycle/app-settings')])
      const settings = await withHub(async (hub) => {
        const current = await hub.call<AppSettings>('getSettings')
        if (changes.length === 0) return current
        return hub.call<AppSettings>('updateSettings', { change: await parseChanges(changes, current) })
      })
      if (options.json) return say(JSON.stringify(settings, null, 2))
      for (const key of Object.keys(meanings) as (keyof AppSettings)[]) {
        if (key === 'startAtLogin' && settings.startAtLogin === undefined) continue
        const value = settings[key]
        say(`${key} = ${value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value)}\t# ${meanings[key]}`)
      }
      const restartKeys = changes.map((change) => change.split('=')[0]).filter((key) => settingsReadAtStart.includes(key as keyof AppSettings))
      if (restartKeys.length > 0) say(`${restartKeys.join(', ')}: takes effect when MCP Tray next starts.`)
    })
}

/** `key=value` pairs typed after the current values' types: numbers, true/false, comma lists; `key=` clears. */
async function parseChanges(pairs: readonly string[], current: AppSettings): Promise<AppSettingsChange> {
  const { TrayError } = await import('../../shared/tray-error')
  const change: Record<string, unknown> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const key = eq > 0 ? pair.slice(0, eq) : ''
    if (!(key in meanings)) {
      throw new TrayError('setting_unknown', `"${pair}" names no setting.`, { hint: `Write key=value, with a key among: ${Object.keys(meanings).join(', ')}.` })
    }
    const text = pair.slice(eq + 1).trim()
    const now = current[key as keyof AppSettings]
    if (text === '') change[key] = null
    else if (key === 'enabledClients') change[key] = text.split(',').map((client) => client.trim()).filter(Boolean)
    else if (typeof now === 'number' || /Ms$|Port$|Minutes$|Bytes$/.test(key)) {
      if (!Number.isFinite(Number(text))) throw new TrayError('setting_invalid', `${key} takes a number, not "${text}".`)
      change[key] = Number(text)
    }
    else if (typeof now === 'boolean' || key === 'startAtLogin' || key === 'trustSystemCertificates') {
      if (!/^(true|false|yes|no|on|off)$/i.test(text)) throw new TrayError('setting_invalid', `${key} is true or false, not "${text}".`)
      change[key] = /^(true|yes|on)$/i.test(text)
    } else change[key] = text
  }
  return change as AppSettingsChange
}
