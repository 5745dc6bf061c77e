import { describe, expect, it } from 'vitest'
import { appSettingsOf, appSettingsStore, updateAppSettings } from '../../../src/core/lifecycle/app-settings'
import { defaultSettings, memoryRegistry } from '../../support/memory-registry'

describe('the app settings', () => {
  it('have defaults for everything the Settings view shows, and nothing the shell does not keep', () => {
    const { notificationMinutes: _notShown, ...shown } = defaultSettings
    expect(appSettingsOf(memoryRegistry())).toEqual(shown)
  })

  it('change what is given, clear an optional one with null, and keep the rest', () => {
    const registry = memoryRegistry()
    updateAppSettings(registry, { proxyUrl: 'http://proxy.example:8080', enabledClients: ['cursor'], idleStopMinutes: 0.05 })
    const next = updateAppSettings(registry, { proxyUrl: null, callbackPort: 4000 })
    expect(next).toMatchObject({ callbackPort: 4000, enabledClients: ['cursor'], idleStopMinutes: 0.05 })
    expect(next).not.toHaveProperty('proxyUrl')
    expect(registry.settings().callbackPort).toBe(4000)
  })

  it('refuse a wrong value or an unknown key, saying which and what to give, and change nothing', () => {
    const registry = memoryRegistry()
    expect(() => updateAppSettings(registry, { callbackPort: 70_000, signInTimeoutMs: 60_000 })).toThrow(
      expect.objectContaining({ code: 'setting_invalid', message: expect.stringContaining('The setting callbackPort cannot be 70000'), hint: expect.stringContaining('port') }),
    )
    expect(() => updateAppSettings(registry, { enabledClients: ['notepad' as never] })).toThrow(expect.objectContaining({ code: 'setting_invalid' }))
    expect(() => updateAppSettings(registry, { colour: 'blue' } as never)).toThrow(expect.objectContaining({ code: 'setting_unknown' }))
    expect(registry.settings().signInTimeoutMs).toBe(300_000)
  })

  it('leave start at login to the shell, and refuse it where there is none', async () => {
    const registry = memoryRegistry()
    expect(() => updateAppSettings(registry, { startAtLogin: true })).toThrow(expect.objectContaining({ code: 'setting_not_here' }))
    let atLogin = false
    const store = appSettingsStore(registry, { startAtLogin: { get: () => atLogin, set: (value) => void (atLogin = value) } })
    expect(await store.update({ startAtLogin: true })).toMatchObject({ startAtLogin: true })
    expect(atLogin).toBe(true)
    expect(await store.get()).toMatchObject({ startAtLogin: true })
  })
})
