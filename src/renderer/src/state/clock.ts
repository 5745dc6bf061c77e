import { createValueStore, type ValueStore } from './value-store'

/** "Now", ticking, so that relative times ("3 min ago") age on screen without a reload. */
export interface Clock {
  readonly now: ValueStore<number>
  start(): void
  stop(): void
}

export function createClock(intervalMs = 15_000): Clock {
  const now = createValueStore(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  return {
    now,
    start() {
      if (timer !== undefined) return
      now.set(Date.now())
      timer = setInterval(() => now.set(Date.now()), intervalMs)
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
  }
}
