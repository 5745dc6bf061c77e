import type { Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net'
import type { RedirectHost } from '../../shared/server-view'

/** What the redirect host binds: RFC 8252 §7.3 loopback only, never all interfaces. */
export interface LoopbackBinding {
  /** The port bound (the one asked for, or the system's choice for 0). */
  readonly port: number
  /** Closes the second listener, when there is one (`localhost` on IPv6). */
  close(): Promise<void>
}

/**
 * Binds `server` for a redirect to `host`: `127.0.0.1` and `[::1]` bind that address;
 * `localhost` binds 127.0.0.1 and, on the same port, ::1 as well, since a browser may resolve
 * localhost to either (RFC 8252 §8.3). A machine without IPv6 keeps the IPv4 listener alone;
 * an ::1 port someone else holds counts as taken (EADDRINUSE), like the IPv4 one.
 */
export async function listenLoopback(server: Server, host: RedirectHost, port: number, attempt = 1): Promise<LoopbackBinding> {
  const primary = host === '[::1]' ? '::1' : '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, primary, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const bound = (server.address() as AddressInfo).port
  if (host !== 'localhost') return { port: bound, close: async () => undefined }

  // The IPv6 side hands its connections to the same HTTP server, so one handler serves both.
  const ipv6 = createNetServer((socket) => server.emit('connection', socket))
  try {
    await new Promise<void>((resolve, reject) => {
      ipv6.once('error', reject)
      ipv6.listen(bound, '::1', () => {
        ipv6.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL') return { port: bound, close: async () => undefined }
    await new Promise<void>((resolve) => server.close(() => resolve()))
    // A port the system chose for IPv4 may be someone's on IPv6: let it choose again.
    if (port === 0 && code === 'EADDRINUSE' && attempt < 5) return listenLoopback(server, host, port, attempt + 1)
    throw error
  }
  ipv6.on('error', () => undefined)
  return { port: bound, close: () => closeNet(ipv6) }
}

function closeNet(server: NetServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}
