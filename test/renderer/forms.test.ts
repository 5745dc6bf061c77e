import { describe, expect, it } from 'vitest'
import type { AppSettings } from '../../src/shared/app-settings'
import { checkServerUrl, connectRequestOf, emptyServerForm } from '../../src/renderer/src/add-server/server-form'
import { fieldOfRefusal, settingsChangeOf, settingsFormOf } from '../../src/renderer/src/settings/settings-form'

describe('the Add server form', () => {
  it('accepts a server address, with https:// added when it was left out, and says what is wrong otherwise', () => {
    expect(checkServerUrl('https://example.com/mcp')).toEqual({ ok: true, url: 'https://example.com/mcp' })
    expect(checkServerUrl('example.com/mcp')).toEqual({ ok: true, url: 'https://example.com/mcp' })
    expect(checkServerUrl('http://127.0.0.1:8080/mcp')).toMatchObject({ ok: true })
    expect(checkServerUrl('http://localhost:8080/mcp')).toMatchObject({ ok: true })
    expect(checkServerUrl('not a url at all')).toMatchObject({ ok: false, problem: expect.stringContaining('not a URL') })
    expect(checkServerUrl('ftp://example.com')).toMatchObject({ ok: false, problem: expect.stringContaining('https://') })
    expect(checkServerUrl('intranet')).toMatchObject({ ok: false, problem: expect.stringContaining('full host name') })
  })

  it('makes the connect request of what was typed, secrets and headers included, nothing empty', () => {
    const built = connectRequestOf(
      { ...emptyServerForm, url: ' https://example.com/mcp ', name: ' team ', timeoutSeconds: '2.5', scope: ' read   write ', headers: [{ name: 'X-Key', value: 'v' }, { name: '', value: '' }], redirectHost: 'localhost', clients: ['claude-desktop'] },
      'run-1',
    )
    expect(built).toEqual({
      request: { url: 'https://example.com/mcp', runId: 'run-1', name: 'team', timeoutMs: 2500, scope: 'read write', headers: { 'X-Key': 'v' }, redirect: { host: 'localhost' }, clients: ['claude-desktop'] },
    })
    expect(connectRequestOf({ ...emptyServerForm, url: 'https://example.com/mcp', timeoutSeconds: '0', headers: [{ name: 'bad header', value: 'x' }] }, 'r')).toEqual({
      errors: { timeoutSeconds: expect.stringContaining('between 1 and'), headers: expect.stringContaining('not a valid header name') },
    })
  })
})

const settings: AppSettings = {
  callbackPort: 3334,
  signInTimeoutMs: 300_000,
  defaultTimeoutMs: 60_000,
  enabledClients: [],
  dashboardPort: 3335,
  idleStopMinutes: 10,
  trustSystemCertificates: false,
  maxMessageBytes: 16 * 1024 * 1024,
}

describe('the Settings form', () => {
  it('asks only for what changed, in the units the hub keeps', () => {
    const form = settingsFormOf(settings)
    expect(settingsChangeOf(form, settings)).toEqual({ change: {} })
    expect(settingsChangeOf({ ...form, defaultTimeoutSeconds: '90', maxMessageMiB: '32', enabledClients: ['cursor'], proxyUrl: 'http://proxy.example:8080' }, settings)).toEqual({
      change: { defaultTimeoutMs: 90_000, maxMessageBytes: 32 * 1024 * 1024, enabledClients: ['cursor'], proxyUrl: 'http://proxy.example:8080' },
    })
    expect(settingsChangeOf({ ...form, proxyUrl: '' }, { ...settings, proxyUrl: 'http://old:1' })).toEqual({ change: { proxyUrl: null } })
  })

  it('says beside each field what is wrong with it', () => {
    const form = settingsFormOf(settings)
    expect(settingsChangeOf({ ...form, callbackPort: '80', dashboardPort: 'abc', clientMetadataUrl: 'http://example.com/' }, settings)).toEqual({
      errors: { callbackPort: expect.stringContaining('0 for any free port'), dashboardPort: 'Enter a port.', clientMetadataUrl: expect.stringContaining('https address with a path') },
    })
  })

  it('finds the field a refusal of the hub is about', () => {
    expect(fieldOfRefusal('The setting callbackPort cannot be 80: Too small.')).toBe('callbackPort')
    expect(fieldOfRefusal('The setting maxMessageBytes cannot be 1: too small.')).toBe('maxMessageMiB')
    expect(fieldOfRefusal('Start at login is a setting of the desktop app.')).toBeUndefined()
  })
})
