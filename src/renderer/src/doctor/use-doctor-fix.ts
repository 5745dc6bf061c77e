import { useState } from 'react'
import type { DoctorFixAction, ServerView } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { useDashboard } from '../state/DashboardContext'

export type FixState = { readonly status: 'idle' } | { readonly status: 'working'; readonly key: string } | { readonly status: 'done'; readonly key: string; readonly message: string } | { readonly status: 'failed'; readonly key: string; readonly error: string }

/**
 * Applies a doctor's fix with the dashboard's own calls. `server` is the saved server the doctor
 * examined, when it examined one; a fix for a bare URL changes nothing saved.
 */
export function useDoctorFix(server: ServerView | undefined): { readonly state: FixState; apply(key: string, action: DoctorFixAction): Promise<boolean> } {
  const { client, servers } = useDashboard()
  const [state, setState] = useState<FixState>({ status: 'idle' })

  async function perform(action: DoctorFixAction): Promise<string> {
    switch (action.kind) {
      case 'use-url': {
        if (!server) throw new Error('Add this URL as a server to use it.')
        // The contract has no URL change: the server is added again at the URL that answers (its sign-in was for the other one).
        await client.removeServer(server.server)
        await client.connect({ url: action.url, name: server.server, runId: crypto.randomUUID(), ...(server.clients.length > 0 ? { clients: server.clients } : {}) })
        return `${server.server} now uses ${action.url}.`
      }
      case 'set-redirect-host': {
        if (!server) throw new Error('Save the server first; the redirect host is one of its options.')
        await client.updateServer(server.server, { redirect: { ...server.options.redirect, host: action.host } })
        return `Sign-ins for ${server.server} now come back to ${action.host}. Sign in again to try it.`
      }
      case 'sign-in': {
        if (!server) throw new Error('Save the server first to sign in to it.')
        await client.signIn(server.server)
        return `Signed in to ${server.server}.`
      }
      case 'trust-system-ca': {
        await client.updateSettings({ trustSystemCertificates: true })
        return 'MCP Tray now trusts your system’s certificate store as well.'
      }
    }
  }

  return {
    state,
    async apply(key, action) {
      setState({ status: 'working', key })
      try {
        const message = await perform(action)
        setState({ status: 'done', key, message })
        void servers.reload()
        return true
      } catch (error) {
        setState({ status: 'failed', key, error: describeError(error) })
        return false
      }
    },
  }
}
