import type { AppSettings, AppSettingsChange } from '../../shared/app-settings'
import { TrayError } from '../../shared/tray-error'
import type { ServerRegistry } from '../registry/server-registry'
import { settingsSchema, type Settings } from '../registry/server-entry'

/** What only the shell knows: the app starts at login; a headless hub has no such thing. */
export interface ShellSettings {
  readonly startAtLogin?: { get(): boolean; set(value: boolean): void }
}

/** The settings the Settings view shows: the registry's, plus what the shell keeps. */
export function appSettingsOf(registry: Pick<ServerRegistry, 'settings'>, shell: ShellSettings = {}): AppSettings {
  const settings = registry.settings()
  return {
    callbackPort: settings.callbackPort,
    signInTimeoutMs: settings.signInTimeoutMs,
    defaultTimeoutMs: settings.defaultTimeoutMs,
    enabledClients: settings.enabledClients,
    dashboardPort: settings.dashboardPort,
    idleStopMinutes: settings.idleStopMinutes,
    trustSystemCertificates: settings.trustSystemCertificates,
    maxMessageBytes: settings.maxMessageBytes,
    ...(settings.clientMetadataUrl === undefined ? {} : { clientMetadataUrl: settings.clientMetadataUrl }),
    ...(settings.proxyUrl === undefined ? {} : { proxyUrl: settings.proxyUrl }),
    ...(shell.startAtLogin ? { startAtLogin: shell.startAtLogin.get() } : {}),
  }
}

/**
 * Applies a change (`null` clears an optional setting, an absent key keeps it) after checking every
 * value; a change with one wrong value changes nothing and says which key and why.
 */
export function updateAppSettings(registry: Pick<ServerRegistry, 'settings' | 'updateSettings'>, change: AppSettingsChange, shell: ShellSettings = {}): AppSettings {
  const { startAtLogin, ...stored } = change
  if (startAtLogin !== undefined && startAtLogin !== null && !shell.startAtLogin) {
    throw new TrayError('setting_not_here', 'Start at login is a setting of the desktop app.', {
      hint: 'Set it from the app’s tray menu or Settings view; the headless hub is started by you or by a proxy.',
    })
  }
  const next: Record<string, unknown> = { ...registry.settings() }
  for (const [key, value] of Object.entries(stored)) {
    if (value === undefined) continue
    if (!(key in settingsSchema.shape)) throw unknownSetting(key)
    if (value === null) delete next[key]
    else next[key] = value
  }
  const parsed = settingsSchema.safeParse(next)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const key = String(issue?.path[0] ?? 'settings')
    throw new TrayError('setting_invalid', `The setting ${key} cannot be ${JSON.stringify(next[key])}: ${issue?.message ?? 'not valid'}.`, {
      hint: settingHints[key as keyof Settings] ?? 'Nothing was changed.',
    })
  }
  // The registry merges a change into what it has: a cleared key is given as undefined to drop it.
  const cleared = Object.fromEntries(Object.entries(stored).filter(([, value]) => value === null).map(([key]) => [key, undefined]))
  registry.updateSettings({ ...parsed.data, ...cleared })
  if (typeof startAtLogin === 'boolean') shell.startAtLogin?.set(startAtLogin)
  return appSettingsOf(registry, shell)
}

/** The settings as the dashboard service reads and writes them. */
export function appSettingsStore(registry: Pick<ServerRegistry, 'settings' | 'updateSettings'>, shell: ShellSettings = {}) {
  return {
    get: async (): Promise<AppSettings> => appSettingsOf(registry, shell),
    update: async (change: AppSettingsChange): Promise<AppSettings> => updateAppSettings(registry, change, shell),
  }
}

/**
 * Settings a running hub reads once, when it starts: a change to them takes effect at its next
 * start. The others are read when they are used.
 */
export const settingsReadAtStart: readonly (keyof AppSettings)[] = ['callbackPort', 'signInTimeoutMs', 'clientMetadataUrl', 'dashboardPort']

function unknownSetting(key: string): TrayError {
  return new TrayError('setting_unknown', `MCP Tray has no setting named ${key}.`, {
    hint: `The settings are: ${[...Object.keys(settingsSchema.shape), 'startAtLogin'].join(', ')}.`,
  })
}

const settingHints: Partial<Record<keyof Settings, string>> = {
  callbackPort: 'Give a port between 1024 and 65535 (0 picks a free one each time, which pre-registered clients cannot use).',
  signInTimeoutMs: 'Give milliseconds, e.g. 300000 for 5 minutes.',
  defaultTimeoutMs: 'Give milliseconds, at most a day, e.g. 60000.',
  enabledClients: 'Give client ids among claude-desktop, cursor, vscode, windsurf, claude-code.',
  dashboardPort: 'Give a port between 1024 and 65535.',
  idleStopMinutes: 'Give a number of minutes greater than 0, at most 1440.',
  proxyUrl: 'Give the proxy’s address, e.g. http://proxy.example:8080.',
  clientMetadataUrl: 'Give an https address with a path, where MCP Tray’s client metadata document is published.',
  maxMessageBytes: 'Give bytes between 1 MiB (1048576) and 1 GiB.',
}
