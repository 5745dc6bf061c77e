import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { LogEvent, LogSink } from './log-event'

/** Where the JSONL logs live inside the data dir. */
export function logsDir(dataDir: string): string {
  return join(dataDir, 'logs')
}

/** A server name made safe as a file name (`my server/x` → `my-server-x`). */
export function logFileStem(server: string): string {
  const stem = server.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '')
  return stem === '' ? 'server' : stem.slice(0, 100)
}

/** The current file of a server and its rotated predecessors, newest first: `x.jsonl`, `x.1.jsonl`, … */
export function logFilePaths(dir: string, server: string, files: number): string[] {
  const stem = logFileStem(server)
  return Array.from({ length: files }, (_, i) => join(dir, i === 0 ? `${stem}.jsonl` : `${stem}.${i}.jsonl`))
}

export interface RotatingFileSinkOptions {
  readonly dir: string
  /** Rotate once the current file reaches this size (default 5 MiB). */
  readonly maxBytes?: number
  /** How many files to keep per server, the current one included (default 5). */
  readonly files?: number
}

/**
 * Appends events as JSON lines to one file per server and rotates by size, keeping N files.
 * Writes are synchronous single appends (O_APPEND), so lines from two proxies of the same server
 * do not interleave within a line and nothing is lost when the process exits.
 */
export class RotatingFileSink implements LogSink {
  readonly #dir: string
  readonly #maxBytes: number
  readonly #files: number
  readonly #open = new Map<string, { fd: number; size: number }>()
  #dirReady = false
  #failed = false

  constructor(options: RotatingFileSinkOptions) {
    this.#dir = options.dir
    this.#maxBytes = options.maxBytes ?? 5 * 1024 * 1024
    this.#files = Math.max(1, options.files ?? 5)
  }

  write(event: LogEvent): void {
    this.writeBatch([event])
  }

  /**
   * Appends events with one write per server and chunk (the hub's batches come by the hundred),
   * rotating as `write` does; a chunk never holds more than 64 KiB, nor more than a file may.
   * `lines`, when given, are the events already serialized (one JSON text each, no newline).
   */
  writeBatch(events: readonly LogEvent[], lines?: readonly string[]): void {
    if (this.#failed) return
    try {
      const chunkBytes = Math.min(64 * 1024, this.#maxBytes)
      const byServer = new Map<string, string[]>()
      for (let i = 0; i < events.length; i += 1) {
        const server = events[i]!.server
        const line = lines?.[i] ?? JSON.stringify(events[i])
        const ofServer = byServer.get(server)
        if (ofServer) ofServer.push(line)
        else byServer.set(server, [line])
      }
      for (const [server, ofServer] of byServer) {
        let chunk = ''
        let size = 0
        for (const line of ofServer) {
          const bytes = Buffer.byteLength(line) + 1
          if (size > 0 && size + bytes > chunkBytes) {
            this.#append(server, chunk, size)
            chunk = ''
            size = 0
          }
          chunk += `${line}\n`
          size += bytes
        }
        this.#append(server, chunk, size)
      }
    } catch (error) {
      // A log that cannot be written must not stop the relay: say so once, on stderr.
      this.#failed = true
      process.stderr.write(`mcp-tray: cannot write logs in ${this.#dir}: ${(error as Error).message}\n`)
    }
  }

  #append(server: string, chunk: string, size: number): void {
    if (size === 0) return
    const file = this.#fileFor(server, size)
    writeSync(file.fd, chunk)
    file.size += size
  }

  async close(): Promise<void> {
    for (const { fd } of this.#open.values()) closeSync(fd)
    this.#open.clear()
  }

  #fileFor(server: string, incoming: number): { fd: number; size: number } {
    if (!this.#dirReady) {
      mkdirSync(this.#dir, { recursive: true, mode: 0o700 })
      this.#dirReady = true
    }
    const paths = logFilePaths(this.#dir, server, this.#files)
    let file = this.#open.get(server)
    if (file) {
      // Another proxy of the same server may have rotated the file under us.
      const onDisk = sizeOf(paths[0]!)
      if (onDisk === undefined || onDisk < file.size) {
        closeSync(file.fd)
        this.#open.delete(server)
        file = undefined
      } else {
        file.size = onDisk
      }
    }
    if (file && file.size > 0 && file.size + incoming > this.#maxBytes) {
      closeSync(file.fd)
      this.#open.delete(server)
      rotate(paths)
      file = undefined
    }
    if (!file) {
      const fd = openSync(paths[0]!, 'a', 0o600)
      file = { fd, size: fstatSync(fd).size }
      this.#open.set(server, file)
      if (file.size > 0 && file.size + incoming > this.#maxBytes) {
        closeSync(fd)
        this.#open.delete(server)
        rotate(paths)
        return this.#fileFor(server, 0)
      }
    }
    return file
  }
}

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size
  } catch {
    return undefined
  }
}

/** x.(n-2) → x.(n-1), …, x → x.1; the oldest is dropped. Tolerates files another process moved. */
function rotate(paths: readonly string[]): void {
  const last = paths[paths.length - 1]!
  rmSync(last, { force: true })
  for (let i = paths.length - 2; i >= 0; i -= 1) {
    try {
      renameSync(paths[i]!, paths[i + 1]!)
    } catch {
      // missing (never written, or rotated by another proxy): nothing to move
    }
  }
}
