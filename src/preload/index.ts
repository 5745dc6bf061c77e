import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { dashboardMethods, type DashboardApi, type DashboardClient } from '../shared/dashboard-api'
import { dashboardEventChannel, type DashboardEvent } from '../shared/dashboard-events'

/**
 * The dashboard API as the page sees it (`window.mcpTray`): each method calls the main process over
 * the IPC channel of the same name (`dashboardMethods` lists every method of the contract; the
 * dashboard IPC test checks the main side answers each), and `subscribe` hears the events the main
 * process sends. IPC does not drop messages, so the link is live as long as the page is.
 */
const methods = Object.fromEntries(dashboardMethods.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(method, ...args)])) as unknown as DashboardApi

const api: DashboardClient = {
  ...methods,
  subscribe(listener, onLinkState) {
    const forward = (_event: IpcRendererEvent, payload: DashboardEvent): void => listener(payload)
    ipcRenderer.on(dashboardEventChannel, forward)
    onLinkState?.('live')
    return () => void ipcRenderer.off(dashboardEventChannel, forward)
  },
}

contextBridge.exposeInMainWorld('mcpTray', api)
