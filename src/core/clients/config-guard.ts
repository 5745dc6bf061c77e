import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import type { ClientId } from './client-kinds'
import type { ClientConfigs } from './client-configs'

export type GuardEvent =
  | { readonly type: 'restored'; readonly client: ClientId; readonly file: string; readonly keys: readonly string[] }
  | { readonly type: 'failed'; readonly client: ClientId; readonly error: unknown }

export interface ConfigGuardOptions {
  readonly configs: Pick<ClientConfigs, 'locate' | 'restore'>
  readonly client: ClientId
  /**
   * Quiet time after the last change before checking. Claude Desktop writes its file in bursts
   * (settings, then servers); checking once they settle avoids racing it.
   */
  readonly debounceMs?: number
  readonly onEvent?: (event: GuardEvent) => void
}

/**
 * Watches one client's config file and puts back MCP Tray's entries when the client (or anyone)
 * rewrites it without them; entries removed through MCP Tray stay removed (see `ClientConfigs.restore`).
 * Its own writes wake it once more and find nothing to do, so it never loops.
 */
export class ConfigGuard {
  readonly #options: ConfigGuardOptions
  #watcher: FSWatcher | undefined
  #timer: NodeJS.Timeout | undefined
  #checking: Promise<void> | undefined
  #again = false
  #stopped = false

  constructor(options: ConfigGuardOptions) {
    this.#options = options
  }

  /** Checks the file once now, then watches it; resolves when the watch is in place. */
  async start(): Promise<void> {
    const { file } = await this.#options.configs.locate(this.#options.client)
    const dir = dirname(file)
    await mkdir(dir, { recursive: true })
    // The folder, not the file: clients replace the file by renaming, and it may not exist yet.
    const watcher = watch(dir, { ignoreInitial: true, depth: 0, ignored: (path) => path !== dir && path !== file })
    this.#watcher = watcher
    watcher.on('all', () => this.#schedule())
    watcher.on('error', (error) => this.#options.onEvent?.({ type: 'failed', client: this.#options.client, error }))
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
    this.#schedule(0)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#watcher?.close()
    await this.#checking
  }

  #schedule(delay = this.#options.debounceMs ?? 1000): void {
    if (this.#stopped) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#check(), delay)
  }

  #check(): void {
    if (this.#checking) {
      this.#again = true
      return
    }
    this.#checking = this.#restore().finally(() => {
      this.#checking = undefined
      if (this.#again && !this.#stopped) {
        this.#again = false
        this.#check()
      }
    })
  }

  async #restore(): Promise<void> {
    const { client, configs, onEvent } = this.#options
    try {
      const { file, restored } = await configs.restore(client)
      if (restored.length > 0) onEvent?.({ type: 'restored', client, file, keys: restored })
    } catch (error) {
      onEvent?.({ type: 'failed', client, error })
    }
  }
}
