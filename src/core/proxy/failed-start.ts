import type { Readable, Writable } from 'node:stream'
import { describeError, TrayError } from '../../shared/tray-error'
import { redactText } from '../logs/redaction'
import { errorResponse, rpcErrorCodes, rpcIdOf, rpcKindOf } from './json-rpc'
import { StdioLines } from './stdio-lines'

/**
 * What a proxy that could not start does instead of exiting: a client that sees the process die
 * shows only "server disconnected", so every request it sends is answered with the reason, in
 * words that say what to do, until it closes stdin. Resolves then.
 */
export function answerWithStartFailure(error: unknown, io: { input: Readable; output: Writable; server: string }): Promise<void> {
  const message = redactText(`MCP Tray could not start the connection to ${io.server}: ${describeError(error)}`)
  const data = { code: error instanceof TrayError ? error.code : 'proxy_start_failed' }
  const lines = new StdioLines({ input: io.input, output: io.output })
  return new Promise((resolve) => {
    lines.onmessage = (incoming) => {
      const id = rpcIdOf(incoming)
      if (rpcKindOf(incoming) === 'request' && id !== undefined) lines.send(errorResponse(id, { code: rpcErrorCodes.upstreamFailure, message, data }))
    }
    lines.onclose = () => resolve()
    lines.start()
  })
}
