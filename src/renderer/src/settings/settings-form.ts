import type { AppSettings, AppSettingsChange, ClientId } from '../../../shared/dashboard-api'

/** The Settings view's fields as typed (strings for numbers, seconds and MiB where people think in them). */
export interface SettingsForm {
  readonly callbackPort: string
  readonly signInTimeoutSeconds: string
  readonly defaultTimeoutSeconds: string
  readonly enabledClients: readonly ClientId[]
  readonly startAtLogin: boolean | undefined
  readonly clientMetadataUrl: string
  readonly dashboardPort: string
  readonly idleStopMinutes: string
  readonly proxyUrl: string
  readonly trustSystemCertificates: boolean
  readonly maxMessageMiB: string
}

export type SettingsField = keyof SettingsForm
export type SettingsErrors = Partial<Record<SettingsField, string>>

const mib = 1024 * 1024

export function settingsFormOf(settings: AppSettings): SettingsForm {
  return {
    callbackPort: String(settings.callbackPort),
    signInTimeoutSeconds: String(settings.signInTimeoutMs / 1000),
    defaultTimeoutSeconds: String(settings.defaultTimeoutMs / 1000),
    enabledClients: settings.enabledClients,
    startAtLogin: settings.startAtLogin,
    clientMetadataUrl: settings.clientMetadataUrl ?? '',
    dashboardPort: String(settings.dashboardPort),
    idleStopMinutes: String(settings.idleStopMinutes),
    proxyUrl: settings.proxyUrl ?? '',
    trustSystemCertificates: settings.trustSystemCertificates,
    maxMessageMiB: String(Math.round((settings.maxMessageBytes / mib) * 100) / 100),
  }
}

function wholeNumber(text: string, min: number, max: number, words: string): number | string {
  const value = Number(text.trim())
  if (text.trim() === '' || !Number.isFinite(value)) return `Enter ${words}.`
  if (value < min || value > max) return `Enter ${words} between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}.`
  return value
}

function address(text: string, https: boolean): string | undefined {
  try {
    const url = new URL(text.trim())
    if (https && (url.protocol !== 'https:' || url.pathname === '/')) return 'Enter an https address with a path, e.g. https://example.com/mcp-tray/client.json.'
    if (!https && url.protocol !== 'http:' && url.protocol !== 'https:') return 'Enter the proxy’s http:// or https:// address.'
    return undefined
  } catch {
    return https ? 'Enter an https address with a path, e.g. https://example.com/mcp-tray/client.json.' : 'Enter the proxy’s address, e.g. http://proxy.example:8080.'
  }
}

/**
 * The change the form asks for (only what differs from `settings`), or what to fix in which
 * field. The hub checks again; these checks only say it sooner, beside the field.
 */
export function settingsChangeOf(form: SettingsForm, settings: AppSettings): { readonly change: AppSettingsChange } | { readonly errors: SettingsErrors } {
  const errors: SettingsErrors = {}
  const change: Record<string, unknown> = {}
  const number = (field: SettingsField, text: string, min: number, max: number, words: string, scale: number, key: keyof AppSettings): void => {
    const value = wholeNumber(text, min, max, words)
    if (typeof value === 'string') errors[field] = value
    else if (Math.round(value * scale) !== settings[key]) change[key] = Math.round(value * scale)
  }
  const callback = wholeNumber(form.callbackPort, 0, 65_535, 'a port')
  if (typeof callback === 'string') errors.callbackPort = callback
  else if (callback !== 0 && callback < 1024) errors.callbackPort = 'Enter a port between 1,024 and 65,535, or 0 for any free port.'
  else if (callback !== settings.callbackPort) change.callbackPort = callback
  number('signInTimeoutSeconds', form.signInTimeoutSeconds, 10, 3_600, 'a number of seconds', 1000, 'signInTimeoutMs')
  number('defaultTimeoutSeconds', form.defaultTimeoutSeconds, 1, 86_400, 'a number of seconds', 1000, 'defaultTimeoutMs')
  number('dashboardPort', form.dashboardPort, 1024, 65_535, 'a port', 1, 'dashboardPort')
  number('idleStopMinutes', form.idleStopMinutes, 1, 1_440, 'a number of minutes', 1, 'idleStopMinutes')
  number('maxMessageMiB', form.maxMessageMiB, 1, 1024, 'a size in MiB', mib, 'maxMessageBytes')

  if (form.clientMetadataUrl.trim() === '') {
    if (settings.clientMetadataUrl !== undefined) change.clientMetadataUrl = null
  } else {
    const problem = address(form.clientMetadataUrl, true)
    if (problem) errors.clientMetadataUrl = problem
    else if (form.clientMetadataUrl.trim() !== settings.clientMetadataUrl) change.clientMetadataUrl = form.clientMetadataUrl.trim()
  }
  if (form.proxyUrl.trim() === '') {
    if (settings.proxyUrl !== undefined) change.proxyUrl = null
  } else {
    const problem = address(form.proxyUrl, false)
    if (problem) errors.proxyUrl = problem
    else if (form.proxyUrl.trim() !== settings.proxyUrl) change.proxyUrl = form.proxyUrl.trim()
  }
  if ([...form.enabledClients].sort().join() !== [...settings.enabledClients].sort().join()) change.enabledClients = form.enabledClients
  if (form.trustSystemCertificates !== settings.trustSystemCertificates) change.trustSystemCertificates = form.trustSystemCertificates
  if (form.startAtLogin !== undefined && form.startAtLogin !== settings.startAtLogin) change.startAtLogin = form.startAtLogin

  return Object.keys(errors).length > 0 ? { errors } : { change: change as AppSettingsChange }
}

const fieldOfSetting: Readonly<Partial<Record<keyof AppSettings, SettingsField>>> = {
  callbackPort: 'callbackPort',
  signInTimeoutMs: 'signInTimeoutSeconds',
  defaultTimeoutMs: 'defaultTimeoutSeconds',
  enabledClients: 'enabledClients',
  startAtLogin: 'startAtLogin',
  clientMetadataUrl: 'clientMetadataUrl',
  dashboardPort: 'dashboardPort',
  idleStopMinutes: 'idleStopMinutes',
  proxyUrl: 'proxyUrl',
  trustSystemCertificates: 'trustSystemCertificates',
  maxMessageBytes: 'maxMessageMiB',
}

/** The field a hub refusal is about, when its words name a setting ("The setting callbackPort cannot be …"). */
export function fieldOfRefusal(message: string): SettingsField | undefined {
  const key = /\bsetting (\w+)/.exec(message)?.[1]
  return key === undefined ? undefined : fieldOfSetting[key as keyof AppSettings]
}
