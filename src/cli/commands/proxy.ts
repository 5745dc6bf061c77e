import { InvalidArgumentError, type Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'

function positiveMs(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a whole number of milliseconds.')
  return parsed
}

function httpUrl(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidArgumentError('expected the server’s URL, e.g. https://example.com/mcp.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidArgumentError('expected an http(s) URL.')
  return url
}

/** Until servers come from the registry: a name for logs made from the URL's host and port. */
export function serverNameFromUrl(url: URL): string {
  return url.port === '' ? url.hostname : `${url.hostname}-${url.port}`
}

export function registerProxy(program: Command): void {
  program
    .command('proxy')
    .description('Relay an MCP client on stdio (e.g. Claude Desktop) to a remote MCP server. stdout carries protocol messages only.')
    .argument('<url>', 'the remote server’s MCP endpoint', httpUrl)
    .option('--timeout <ms>', 'answer a request with an error when the server takes longer than this', positiveMs, 60_000)
    .action(async (url: URL, options: { timeout: number }) => {
      const [{ Relay }, { NoAuthTokenSource }, { RotatingFileSink, logsDir }] = await Promise.all([
        import('../../core/proxy/relay'),
        import('../../core/proxy/token-source'),
        import('../../core/logs/log-files'),
      ])
      const relay = new Relay({
        url,
        server: serverNameFromUrl(url),
        input: process.stdin,
        output: process.stdout,
        diagnostics: process.stderr,
        tokens: new NoAuthTokenSource(),
        sink: new RotatingFileSink({ dir: logsDir(resolveDataDir()) }),
        timeoutMs: options.timeout,
      })
      const stop = (signal: string) => void relay.close(signal)
      process.once('SIGTERM', stop).once('SIGINT', stop)
      relay.start()
      await relay.done
      // Open sockets (keep-alive, aborted streams) may linger: the client expects the proxy gone now.
      setTimeout(() => process.exit(), 200).unref()
    })
}
