import type { Socket } from 'node:net'

export interface JsonLineHandlers {
  onMessage(message: unknown): void
  /** A line that was not JSON, or that grew past the bound: the caller decides whether to go on. */
  onInvalid(reason: string): void
}

const newline = 0x0a

/**
 * Splits newline-delimited JSON as it arrives, in time linear in the bytes: chunks of a partial
 * line are kept as they came and only each new chunk is searched for the newline, so a long line
 * arriving in small pieces costs no more than a short one. A line longer than `maxBytes()` (read
 * at each chunk, so that it can change once a peer is admitted) is dropped and reported.
 */
export class JsonLineSplitter {
  readonly #maxBytes: () => number
  readonly #handlers: JsonLineHandlers
  #partial: Buffer[] = []
  #partialBytes = 0
  /** Inside a line that was too long: everything up to its newline is dropped. */
  #skipping = false

  constructor(maxBytes: () => number, handlers: JsonLineHandlers) {
    this.#maxBytes = maxBytes
    this.#handlers = handlers
  }

  /** Feeds the next chunk: every line it ends is handled before this returns. */
  push(chunk: Buffer): void {
    let start = 0
    for (let end = chunk.indexOf(newline); end !== -1; end = chunk.indexOf(newline, start)) {
      const piece = chunk.subarray(start, end)
      const partial = this.#partial
      const tooLong = !this.#skipping && this.#partialBytes + piece.length > this.#maxBytes()
      const skipped = this.#skipping
      this.#partial = []
      this.#partialBytes = 0
      this.#skipping = false
      start = end + 1
      if (skipped) continue
      if (tooLong) this.#tooLong()
      else this.#emit(partial.length === 0 ? piece : Buffer.concat([...partial, piece]))
    }
    if (start >= chunk.length || this.#skipping) return
    const rest = chunk.subarray(start)
    if (this.#partialBytes + rest.length > this.#maxBytes()) {
      // Reported once, when it grows past the bound; the rest of the line is dropped as it comes.
      this.#partial = []
      this.#partialBytes = 0
      this.#skipping = true
      this.#tooLong()
      return
    }
    // A copy: the caller's buffer may be reused, and a small slice would pin a large one.
    this.#partial.push(Buffer.from(rest))
    this.#partialBytes += rest.length
  }

  /** Bytes of the line not yet ended. */
  get pendingBytes(): number {
    return this.#partialBytes
  }

  #emit(line: Buffer): void {
    const text = line.toString('utf8')
    if (text.trim() === '') return
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      this.#handlers.onInvalid('a message was not valid JSON')
      return
    }
    this.#handlers.onMessage(message)
  }

  #tooLong(): void {
    this.#handlers.onInvalid(`a message was larger than ${this.#maxBytes()} bytes`)
  }
}

/**
 * Newline-delimited JSON over a socket, with a bound on a message's size: a peer that sends more
 * than `maxBytes` without a newline is reported rather than buffered without end. Nothing more is
 * read once the socket is destroyed, by a handler or anyone else.
 */
export function readJsonLines(
  socket: Socket,
  maxBytes: number | (() => number),
  onMessage: (message: unknown) => void,
  onInvalid: (reason: string) => void,
): JsonLineSplitter {
  const splitter = new JsonLineSplitter(typeof maxBytes === 'number' ? () => maxBytes : maxBytes, {
    onMessage: (message) => {
      if (!socket.destroyed) onMessage(message)
    },
    onInvalid: (reason) => {
      if (!socket.destroyed) onInvalid(reason)
    },
  })
  socket.on('data', (chunk: Buffer) => {
    if (!socket.destroyed) splitter.push(chunk)
  })
  return splitter
}

export function writeJsonLine(socket: Socket, message: unknown): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`)
}
