import { contextBridge, ipcRenderer } from 'electron'
import type { DashboardApi, DashboardMethod } from '../shared/dashboard-api'

/** Calls a dashboard method in the main process over the IPC channel of the same name. */
function invoke<M extends DashboardMethod>(method: M): DashboardApi[M] {
  return ((...args: unknown[]) => ipcRenderer.invoke(method, ...args)) as DashboardApi[M]
}

/** The dashboard API as the page sees it (`window.mcpTray`); the compiler checks it is complete. */
const api: DashboardApi = {
  getAppInfo: invoke('getAppInfo'),
  listServers: invoke('listServers'),
  recentLogs: invoke('recentLogs'),
}

contextBridge.exposeInMainWorld('mcpTray', api)
