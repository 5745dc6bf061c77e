import { useCallback, useState } from 'react'
import type { ClientId } from '../../../shared/dashboard-api'
import { describeError } from '../../../shared/tray-error'
import { useDashboard } from '../state/DashboardContext'
import { loadedData } from '../state/loadable'

export type ServerActionName = 'connect' | 'sign-in' | 'sign-out' | 'install' | 'uninstall' | 'rename' | 'remove'

export interface ServerActions {
  /** The action running now, if any. */
  readonly busy: ServerActionName | undefined
  /** What the last action's failure said, with what to do. */
  readonly error: string | undefined
  /** What the last action did, when it has something to say (e.g. restart Claude Desktop). */
  readonly outcome: string | undefined
  clear(): void
  connect(): Promise<boolean>
  signIn(): Promise<boolean>
  signOut(): Promise<boolean>
  install(client: ClientId): Promise<boolean>
  uninstall(client: ClientId): Promise<boolean>
  rename(newName: string): Promise<boolean>
  remove(): Promise<boolean>
}

/** What a person can do to one server, each call's progress and failure kept for its card. */
export function useServerActions(name: string): ServerActions {
  const session = useDashboard()
  const { client } = session
  const [busy, setBusy] = useState<ServerActionName>()
  const [error, setError] = useState<string>()
  const [outcome, setOutcome] = useState<string>()

  const run = useCallback(async (action: ServerActionName, work: () => Promise<string | undefined>): Promise<boolean> => {
    setBusy(action)
    setError(undefined)
    setOutcome(undefined)
    try {
      setOutcome(await work())
      return true
    } catch (failure) {
      setError(describeError(failure))
      return false
    } finally {
      setBusy(undefined)
    }
  }, [])

  const clientName = (id: ClientId): string => {
    const clients = loadedData(session.clients.state.get())
    return clients?.find((info) => info.id === id)?.displayName ?? id
  }
  const restartWords = (needed: boolean, id: ClientId): string | undefined => (needed ? `Restart ${clientName(id)} to load the change.` : undefined)

  return {
    busy,
    error,
    outcome,
    clear: () => {
      setError(undefined)
      setOutcome(undefined)
    },
    connect: () =>
      run('connect', async () => {
        const result = await client.connect({ name, runId: crypto.randomUUID() })
        void session.clients.reload()
        return result.restartNeeded.length > 0 ? `Connected. Restart ${result.restartNeeded.map(clientName).join(' and ')} to load the change.` : undefined
      }),
    signIn: () =>
      run('sign-in', async () => {
        await client.signIn(name)
        return undefined
      }),
    signOut: () =>
      run('sign-out', async () => {
        const result = await client.signOut(name)
        return result.problem ? `Signed out. ${result.problem}` : undefined
      }),
    install: (id) =>
      run('install', async () => {
        const result = await client.install(name, id)
        void session.clients.reload()
        return restartWords(result.restartNeeded, id)
      }),
    uninstall: (id) =>
      run('uninstall', async () => {
        const result = await client.uninstall(name, id)
        void session.clients.reload()
        return restartWords(result.restartNeeded, id)
      }),
    rename: (newName) =>
      run('rename', async () => {
        await client.renameServer(name, newName)
        void session.servers.reload()
        return undefined
      }),
    remove: () =>
      run('remove', async () => {
        await client.removeServer(name)
        void session.servers.reload()
        void session.clients.reload()
        return undefined
      }),
  }
}
