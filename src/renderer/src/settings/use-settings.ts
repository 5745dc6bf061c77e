import { useCallback, useEffect, useState } from 'react'
import type { AppSettings, AppSettingsChange } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { useDashboard } from '../state/DashboardContext'
import type { Loadable } from '../state/loadable'

export type SaveState = { readonly status: 'idle' } | { readonly status: 'saving' } | { readonly status: 'saved' } | { readonly status: 'failed'; readonly error: string; readonly message: string }

/** The app's settings, and saving a change to them (the hub checks it and may refuse it). */
export function useSettings(): { readonly settings: Loadable<AppSettings>; readonly save: SaveState; saveChange(change: AppSettingsChange): Promise<AppSettings | undefined>; reload(): void } {
  const { client, clients } = useDashboard()
  const [settings, setSettings] = useState<Loadable<AppSettings>>({ status: 'loading' })
  const [save, setSave] = useState<SaveState>({ status: 'idle' })
  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    let current = true
    client.getSettings().then(
      (data) => current && setSettings({ status: 'ready', data }),
      (error: unknown) => current && setSettings({ status: 'error', error: describeError(error) }),
    )
    return () => {
      current = false
    }
  }, [client, generation])

  const saveChange = useCallback(
    async (change: AppSettingsChange) => {
      setSave({ status: 'saving' })
      try {
        const data = await client.updateSettings(change)
        setSettings({ status: 'ready', data })
        setSave({ status: 'saved' })
        void clients.reload()
        return data
      } catch (error) {
        setSave({ status: 'failed', error: describeError(error), message: error instanceof Error ? error.message : String(error) })
        return undefined
      }
    },
    [client, clients],
  )

  return { settings, save, saveChange, reload: () => setGeneration((count) => count + 1) }
}
