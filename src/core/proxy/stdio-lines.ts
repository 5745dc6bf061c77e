import type { Readable, Writable } from 'node:stream'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { errorResponse, rpcErrorCodes, rpcIdOf, rpcKindOf } from './json-rpc'

export interface StdioLinesOptions {
  readonly input: Readable
  readonly output: Writable
  /** Longest line accepted from the client, in bytes (default 32 MiB). */
  readonly maxLineBytes?: number
}

export interface RejectedLine {
  readonly reason: 'parse-error' | 'not-json-rpc' | 'too-large'
  readonly bytes: number
  readonly preview: string
}

export const defaultMaxLineBytes = 32 * 1024 * 1024

const newline = 0x0a

/**
 * The client half of the relay: newline-delimited JSON-RPC on stdin/stdout, as MCP's stdio
 * transport defines it. A line that is not JSON gets a JSON-RPC parse error (-32700, id null) and
 * reading goes on; a line over the size bound is dropped with an error instead of filling memory.
 * Nothing but protocol messages is ever written to `output`.
 */
export class StdioLines {
  onmessage?: (message: JSONRPCMessage, bytes: number) => void
  onrejected?: (line: RejectedLine) => void
  /** The input ended (the client closed stdin) or the output broke (the client went away). */
  onclose?: (reason: string) => void

  readonly #input: Readable
  readonly #output: Writable
  readonly #maxLineBytes: number
  #chunks: Buffer[] = []
  #buffered = 0
  #discarding = false
  #closed = false

  constructor(options: StdioLinesOptions) {
    this.#input = options.input
    this.#output = options.output
    this.#maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes
  }

  start(): void {
    this.#input.on('data', (chunk: Buffer | string) => this.#read(typeof chunk === 'string' ? Buffer.from(chunk) : chunk))
    this.#input.on('end', () => this.#close('stdin closed'))
    this.#input.on('close', () => this.#close('stdin closed'))
    this.#input.on('error', (error) => this.#close(`stdin failed: ${error.message}`))
    this.#output.on('error', (error) => this.#close(`stdout failed: ${error.message}`))
  }

  /** Writes one message as one line; returns the bytes written. */
  send(message: JSONRPCMessage): number {
    if (this.#closed && this.#output.destroyed) return 0
    const line = `${JSON.stringify(message)}\n`
    this.#output.write(line)
    return Buffer.byteLength(line) - 1
  }

  close(): void {
    this.#close('closed')
  }

  #close(reason: string): void {
    if (this.#closed) return
    this.#closed = true
    this.#input.pause()
    this.onclose?.(reason)
  }

  #read(chunk: Buffer): void {
    let start = 0
    for (;;) {
      const end = chunk.indexOf(newline, start)
      if (end === -1) break
      this.#append(chunk.subarray(start, end))
      this.#endLine()
      start = end + 1
    }
    if (start < chunk.length) this.#append(chunk.subarray(start))
  }

  #append(piece: Buffer): void {
    if (this.#discarding || piece.length === 0) return
    this.#buffered += piece.length
    if (this.#buffered > this.#maxLineBytes) {
      this.#discarding = true
      this.#chunks = []
      return
    }
    this.#chunks.push(piece)
  }

  #endLine(): void {
    if (this.#discarding) {
      const bytes = this.#buffered
      this.#discarding = false
      this.#chunks = []
      this.#buffered = 0
      const limit = `${Math.round(this.#maxLineBytes / 1024 / 1024)} MiB`
      this.#reject({ reason: 'too-large', bytes, preview: '' }, rpcErrorCodes.invalidRequest, null, `MCP Tray dropped a message of more than ${limit} from the client: it is larger than a proxy accepts. Send smaller messages.`)
      return
    }
    const line = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks)
    const bytes = this.#buffered
    this.#chunks = []
    this.#buffered = 0
    const text = line.toString('utf8').replace(/\r$/, '')
    if (text.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      this.#reject({ reason: 'parse-error', bytes, preview: text.slice(0, 200) }, rpcErrorCodes.parseError, null, `Parse error: MCP Tray could not read a line from the client as JSON (${(error as Error).message}). The line was skipped.`)
      return
    }
    if (rpcKindOf(value) === undefined) {
      const id = rpcIdOf(value) ?? null
      this.#reject({ reason: 'not-json-rpc', bytes, preview: text.slice(0, 200) }, rpcErrorCodes.invalidRequest, id, 'Invalid Request: the client sent JSON that is not a JSON-RPC 2.0 message. It was skipped.')
      return
    }
    this.onmessage?.(value as JSONRPCMessage, bytes)
  }

  #reject(line: RejectedLine, code: number, id: string | number | null, message: string): void {
    this.send(errorResponse(id, { code, message }))
    this.onrejected?.(line)
  }
}
