/**
 * The dashboard contract: every method the renderer may call and every event it may receive.
 * Electron's IPC handlers, the preload bridge and the headless HTTP bridge all implement this
 * one type, so the compiler keeps them in step.
 */
export interface AppInfo {
  readonly name: string
  readonly version: string
  /** Where the app runs: inside Electron, or as the headless hub serving a browser. */
  readonly shell: 'electron' | 'headless'
}

export interface DashboardApi {
  getAppInfo(): Promise<AppInfo>
}

export type DashboardMethod = keyof DashboardApi

/** The names of the dashboard methods, as IPC channels and HTTP routes use them. */
export const dashboardMethods = ['getAppInfo'] as const satisfies readonly DashboardMethod[]
