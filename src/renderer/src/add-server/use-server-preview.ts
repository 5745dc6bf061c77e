import { useEffect, useState } from 'react'
import type { ServerPreview } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { useDashboard } from '../state/DashboardContext'
import { checkServerUrl } from './server-form'

export type PreviewState =
  | { readonly status: 'empty' }
  | { readonly status: 'invalid'; readonly problem: string }
  | { readonly status: 'checking'; readonly url: string }
  | { readonly status: 'ready'; readonly preview: ServerPreview }
  | { readonly status: 'failed'; readonly url: string; readonly error: string }

/** What the URL being typed turns out to be, asked of the hub once typing pauses. */
export function useServerPreview(text: string, debounceMs = 450): PreviewState {
  const { client } = useDashboard()
  const [state, setState] = useState<PreviewState>({ status: 'empty' })

  useEffect(() => {
    if (text.trim() === '') {
      setState({ status: 'empty' })
      return
    }
    const checked = checkServerUrl(text)
    if (!checked.ok) {
      // Say so only once typing pauses: a half-typed address is not a mistake yet.
      const timer = setTimeout(() => setState({ status: 'invalid', problem: checked.problem }), debounceMs)
      return () => clearTimeout(timer)
    }
    let current = true
    const timer = setTimeout(() => {
      setState({ status: 'checking', url: checked.url })
      client.previewServer(checked.url).then(
        (preview) => current && setState({ status: 'ready', preview }),
        (error: unknown) => current && setState({ status: 'failed', url: checked.url, error: describeError(error) }),
      )
    }, debounceMs)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [client, text, debounceMs])

  return state
}
