import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { dashboardMethods, type DashboardApi, type DashboardMethod } from '../shared/dashboard-api'
import { TrayError } from '../shared/tray-error'

/**
 * Fails to compile when the contract gains a method that `dashboardMethods` does not list,
 * because such a method would never get a handler.
 */
type UnlistedMethod = Exclude<DashboardMethod, (typeof dashboardMethods)[number]>
type ExpectTrue<T extends true> = T
type EveryMethodListed = ExpectTrue<[UnlistedMethod] extends [never] ? true : false>

/**
 * Answers every dashboard method over IPC, one channel per method name, each with the
 * implementation of the same name in `handlers`. The compiler checks `handlers` against the
 * contract; this is the only place that calls `ipcMain.handle`. A call whose sending frame is
 * gone or is not one of our pages (`isOwnUrl`) is refused and never reaches `handlers`.
 */
export function registerDashboardHandlers(
  ipc: Pick<IpcMain, 'handle'>,
  handlers: DashboardApi,
  isOwnUrl: (url: string) => boolean,
): void {
  for (const method of dashboardMethods) {
    const handler = handlers[method] as (...args: unknown[]) => Promise<unknown>
    ipc.handle(method, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const url = event.senderFrame?.url
      if (url === undefined || !isOwnUrl(url)) {
        throw new TrayError('ipc_untrusted_sender', `Refused the dashboard call ${method} from ${url ?? 'a closed frame'}.`, {
          hint: 'Only the MCP Tray dashboard may call it.',
        })
      }
      return handler.apply(handlers, args)
    })
  }
}
