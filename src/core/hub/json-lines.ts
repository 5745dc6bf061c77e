import type { Socket } from 'node:net'

/**
 * Newline-delimited JSON over a socket, with a bound on a message's size: a peer that sends more
 * than `maxBytes` without a newline is cut off rather than buffered without end.
 */
export function readJsonLines(
  socket: Socket,
  maxBytes: number,
  onMessage: (message: unknown) => void,
  onInvalid: (reason: string) => void,
): void {
  let pending = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    pending += chunk
    let newline = pending.indexOf('\n')
    while (newline !== -1) {
      const line = pending.slice(0, newline)
      pending = pending.slice(newline + 1)
      if (line.trim() !== '') {
        try {
          onMessage(JSON.parse(line))
        } catch {
          onInvalid('a message was not valid JSON')
        }
      }
      newline = pending.indexOf('\n')
    }
    if (Buffer.byteLength(pending) > maxBytes) {
      pending = ''
      onInvalid(`a message was larger than ${maxBytes} bytes`)
    }
  })
}

export function writeJsonLine(socket: Socket, message: unknown): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`)
}
