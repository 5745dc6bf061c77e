import { open, type FileHandle } from 'node:fs/promises'
import { seqOfLine } from './log-lines'
import type { LogSeqIndex } from './log-seq-index'

/** Lines without a seq that follow each other count down by this much (exact in binary floating point). */
const seqStep = 2 ** -20
const chunkBytes = 64 * 1024
/** A line longer than this is not an event the hub wrote (its limits keep lines far shorter): skipped. */
const maxLineBytes = 1024 * 1024

/**
 * One server's lines, newest first, across its rotated files, each with the `seq` it sorts by:
 * its own, or, for a line without one, just below the next newer line's. Lines out of order (a
 * file rotated while it was read, a numbering that started over) are skipped.
 */
export class BackwardLines {
  head: { seq: number; line: string } | undefined
  bytesRead = 0
  readonly #paths: readonly string[]
  readonly #anchor: number
  readonly #below: number
  readonly #index: LogSeqIndex | undefined
  #key = ''
  #file = -1
  #handle: FileHandle | undefined
  #position = 0
  #carry: Buffer | undefined
  #pending: string[] = []
  #newer: number | undefined
  #run = 0
  #lastSeq = Infinity
  #stopped = false

  constructor(paths: readonly string[], anchor: number, below: number, index: LogSeqIndex | undefined) {
    this.#paths = paths
    this.#anchor = anchor
    this.#below = below
    this.#index = index
  }

  /** Moves `head` to the next line from what is read already; false when more must be read first (`fill`). */
  next(): boolean {
    this.head = undefined
    if (this.#stopped) return true
    while (this.#pending.length > 0) {
      const line = this.#pending.pop()!
      if (line === '') continue
      const own = seqOfLine(line)
      let seq: number
      if (own !== undefined) {
        this.#newer = own
        this.#run = 0
        seq = own
      } else {
        this.#run += 1
        seq = (this.#newer ?? this.#anchor) - this.#run * seqStep
      }
      if (seq >= this.#lastSeq) continue
      this.#lastSeq = seq
      this.head = { seq, line }
      return true
    }
    return false
  }

  /** Reads on (backwards) until there is a head or nothing is left. */
  async fill(): Promise<void> {
    while (!this.next()) {
      if (this.#handle && this.#position > 0) {
        await this.#readChunk()
      } else if (!(await this.#openNext())) {
        this.#stopped = true
      }
    }
  }

  stop(): void {
    this.#stopped = true
    this.head = undefined
  }

  async close(): Promise<void> {
    await this.#handle?.close().catch(() => undefined)
    this.#handle = undefined
  }

  async #openNext(): Promise<boolean> {
    await this.close()
    while (++this.#file < this.#paths.length) {
      try {
        this.#handle = await open(this.#paths[this.#file]!, 'r')
        const stat = await this.#handle.stat()
        this.#position = stat.size
        this.#carry = undefined
        this.#key = `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`
        const start = this.#below === Infinity ? undefined : this.#index?.startFor(this.#key, this.#below, stat.size)
        if (start) {
          // Everything from that line on is at or above `below`: read on from just before it.
          this.#position = start.offset
          this.#newer = start.seq
          this.#run = 0
          this.#lastSeq = Math.min(this.#lastSeq, start.seq)
        }
        return true
      } catch {
        // rotated away since it was listed
        await this.close()
      }
    }
    return false
  }

  async #readChunk(): Promise<void> {
    const start = Math.max(0, this.#position - chunkBytes)
    const chunk = Buffer.alloc(this.#position - start)
    const { bytesRead } = await this.#handle!.read(chunk, 0, chunk.length, start)
    this.bytesRead += bytesRead
    this.#position = start
    const combined = this.#carry ? Buffer.concat([chunk.subarray(0, bytesRead), this.#carry]) : chunk.subarray(0, bytesRead)
    if (start === 0) {
      this.#carry = undefined
      this.#pending = combined.toString('utf8').split('\n')
      this.#remember(0)
      return
    }
    const firstBreak = combined.indexOf(10)
    if (firstBreak < 0) {
      this.#carry = combined.length > maxLineBytes ? undefined : combined
      this.#pending = []
      return
    }
    this.#carry = combined.subarray(0, firstBreak)
    this.#pending = combined.subarray(firstBreak + 1).toString('utf8').split('\n')
    this.#remember(start + firstBreak + 1)
  }

  /** Notes where the first whole line of what was just read begins, with its seq. */
  #remember(offset: number): void {
    const seq = this.#pending.length > 0 ? seqOfLine(this.#pending[0]!) : undefined
    if (seq !== undefined) this.#index?.record(this.#key, offset, seq)
  }
}
