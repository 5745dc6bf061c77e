import { existsSync } from 'node:fs'

export type IdleStopReason = 'idle' | 'data-folder-gone'

export interface IdleStopOptions {
  /** Whether anything needs the hub now: a client connected, a sign-in or a connect running, a dashboard open. */
  readonly busy: () => boolean
  /** Minutes with nothing needing it before it stops; read at every check, so a changed setting applies at once. */
  readonly idleMinutes: () => number
  /**
   * Paths the hub cannot live without (its data folder, its socket): when one is deleted nobody can
   * reach the hub any more, and a hub nobody can reach only holds the callback port.
   */
  readonly mustExist: readonly string[]
  readonly onStop: (reason: IdleStopReason) => void
  /** How often to look (default: a fifth of the idle time, between 0.2 and 5 s). */
  readonly checkEveryMs?: number
  readonly now?: () => number
}

/**
 * Stops a hub that a proxy started in the background once nothing has needed it for a while, and
 * at once when its data folder is gone. Looks every few seconds rather than following every
 * connection: a wrong guess costs a few seconds, and it needs no hook in the parts it watches.
 */
export function watchIdle(options: IdleStopOptions): { stop(): void } {
  const now = options.now ?? Date.now
  let lastBusy = now()
  let stopped = false
  const check = (): void => {
    if (stopped) return
    if (options.mustExist.some((path) => !existsSync(path))) return finish('data-folder-gone')
    if (options.busy()) {
      lastBusy = now()
    } else if (now() - lastBusy >= options.idleMinutes() * 60_000) {
      return finish('idle')
    }
    schedule()
  }
  const finish = (reason: IdleStopReason): void => {
    stopped = true
    options.onStop(reason)
  }
  let timer: NodeJS.Timeout | undefined
  const schedule = (): void => {
    const every = options.checkEveryMs ?? Math.min(5_000, Math.max(200, (options.idleMinutes() * 60_000) / 5))
    timer = setTimeout(check, every)
    timer.unref()
  }
  schedule()
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

/** What a hub is needed for, as the composition root sees it. */
export interface HubNeeds {
  /** Clients connected to the socket: proxies, and CLI commands waiting on it. */
  readonly peers: () => number
  /** Sign-ins waiting for a person, and connects running. */
  readonly working: () => boolean
  /** Dashboard pages connected (headless: those holding the event stream open). */
  readonly dashboardClients?: () => number
}

/** Busy while anything needs the hub. */
export function busyWhile(needs: HubNeeds): () => boolean {
  return () => needs.peers() > 0 || needs.working() || (needs.dashboardClients?.() ?? 0) > 0
}
