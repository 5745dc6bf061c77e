import { InvalidArgumentError, type Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'
import type { Network } from '../../core/net/network'
import type { ServerRegistry } from '../../core/registry/server-registry'
import type { HubConnection } from '../../core/hub/hub-client'
import type { TokenSource } from '../../core/proxy/token-source'
import type { ProxyTarget } from '../../core/proxy/proxy-target'

/** A day: beyond 2^31 - 1 ms Node fires a timer at once, which would time out every request. */
const maxTimeoutMs = 24 * 60 * 60_000

function positiveMs(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > maxTimeoutMs) {
    throw new InvalidArgumentError(`expected a whole number of milliseconds, at most ${maxTimeoutMs} (a day).`)
  }
  return parsed
}

/** The defaultTimeoutMs setting (60 s unless a person changed it), read without loading `conf`. */
async function defaultTimeoutMs(): Promise<number> {
  const [{ readRegistrySnapshot }, { ServerRegistry }] = await Promise.all([import('../../core/registry/registry-snapshot'), import('../../core/registry/server-registry')])
  return new ServerRegistry(await readRegistrySnapshot(resolveDataDir())).settings().defaultTimeoutMs
}

/** A whole number from `min` to `max`, for the options that bound the proxy's edges. */
function wholeNumber(min: number, max: number, unit: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value)
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected a whole number of ${unit} from ${min} to ${max}.`)
    return parsed
  }
}

/**
 * How requests go upstream: through the proxy HTTPS_PROXY/NO_PROXY name, else the app's proxy
 * setting (read here, for clients that do not pass the environment on), trusting Node's
 * certificate authorities and, per the setting, the system's. What cannot be used is said on stderr.
 */
async function upstreamNetwork(server: string, registry: Promise<ServerRegistry>): Promise<Network> {
  const [{ createNetwork }, settings] = await Promise.all([import('../../core/net/network'), registry.then((r) => r.settings())])
  const network = createNetwork({ env: process.env, proxyUrl: settings.proxyUrl, trustSystemCertificates: settings.trustSystemCertificates })
  for (const problem of network.rules.problems) process.stderr.write(`mcp-tray proxy (${server}): ${problem}\n`)
  return network
}

/** `registry.json` as it stands at start, read once for the target and the network settings (without loading `conf`). */
async function registrySnapshot(): Promise<ServerRegistry> {
  const [{ readRegistrySnapshot }, { ServerRegistry }] = await Promise.all([import('../../core/registry/registry-snapshot'), import('../../core/registry/server-registry')])
  return new ServerRegistry(await readRegistrySnapshot(resolveDataDir()))
}

/**
 * The server to relay to. The registry is only read at start (without loading `conf`); it is
 * opened for writing only when a URL is new and must be added.
 */
async function proxyTarget(server: string, registry: Promise<ServerRegistry>): Promise<ProxyTarget> {
  const [{ ensureDataDir }, { ServerRegistry }, { findProxyTarget, resolveProxyTarget }, snapshot] = await Promise.all([
    import('../../core/data/data-dir'),
    import('../../core/registry/server-registry'),
    import('../../core/proxy/proxy-target'),
    registry,
  ])
  const known = findProxyTarget(server, snapshot)
  if (known) return known
  const dataDir = resolveDataDir()
  const { openConfStore } = await import('../../core/registry/registry-store')
  return resolveProxyTarget(server, new ServerRegistry(openConfStore(await ensureDataDir(dataDir))))
}

interface HubAccess {
  tokensFor(server: string): TokenSource
  /** The server's configured headers; only the hub reads their values (from the vault). */
  headersFor(server: string): Promise<Record<string, string>>
}

/** Secrets come from the hub, started in the background when a sign-in, refresh or header needs it. */
async function hubAccess(): Promise<HubAccess> {
  const [{ realpathSync }, { hubAddressFor }, { connectToHub }, { connectOrStartHub }, { HubTokenSource }, { headersFromHub }] = await Promise.all([
    import('node:fs'),
    import('../../core/hub/hub-address'),
    import('../../core/hub/hub-client'),
    import('../../core/hub/hub-launcher'),
    import('../../core/proxy/hub-token-source'),
    import('../../core/proxy/extra-headers'),
  ])
  const address = hubAddressFor(resolveDataDir())
  const launch = { executable: process.execPath, cliScript: realpathSync(process.argv[1] ?? ''), env: process.env, insideApp: process.versions.electron !== undefined }
  // A hub whose socket cannot be trusted is not used (no secret goes there): say why, once, and relay without it.
  let toldUntrusted = false
  const checked = (connect: () => Promise<HubConnection>) => () =>
    connect().catch(async (error: unknown) => {
      if (!toldUntrusted && (error as { code?: unknown }).code === 'hub_socket_untrusted') {
        toldUntrusted = true
        const { describeError } = await import('../../shared/tray-error')
        process.stderr.write(`mcp-tray proxy: ${describeError(error)} Relaying without MCP Tray: no sign-in, token refresh or shared logs until this is fixed.\n`)
      }
      throw error
    })
  const connectOrStart = checked(() => connectOrStartHub(address, 'proxy', launch))
  return {
    tokensFor: (server) =>
      new HubTokenSource({
        server,
        connect: checked(() => connectToHub(address, 'proxy')),
        connectOrStart,
        // A refresh may be a whole interactive sign-in, which the hub bounds at 5 minutes.
        refreshTimeoutMs: 6 * 60_000,
        // One line in the client's log: without it a first sign-in looks like a hang.
        onSignInWaiting: (url) => void process.stderr.write(`mcp-tray proxy (${server}): sign-in needed: finish it in the browser MCP Tray opened, or open ${url}\n`),
      }),
    headersFor: (server) => headersFromHub(server, connectOrStart),
  }
}

/** The configured headers, or none (said on stderr) when the hub cannot give them: the server's answers will tell the rest. */
async function extraHeaders(target: ProxyTarget, hub: HubAccess): Promise<Record<string, string>> {
  if (target.headerNames.length === 0) return {}
  try {
    return await hub.headersFor(target.name)
  } catch (error) {
    const [{ describeError }, { redactText }] = await Promise.all([import('../../shared/tray-error'), import('../../core/logs/redaction')])
    process.stderr.write(redactText(`mcp-tray proxy (${target.name}): could not get its headers (${target.headerNames.join(', ')}) from MCP Tray: ${describeError(error)} Relaying without them.\n`))
    return {}
  }
}

/**
 * The server could not be resolved (unknown name, damaged registry): the client gets the reason as
 * the answer to each of its requests, rather than a process that vanished, and the proxy exits
 * (with 1) when the client closes stdin.
 */
async function refuseClient(server: string, error: unknown): Promise<void> {
  const [{ describeError }, { redactText }, { answerWithStartFailure }] = await Promise.all([
    import('../../shared/tray-error'),
    import('../../core/logs/redaction'),
    import('../../core/proxy/failed-start'),
  ])
  process.stderr.write(redactText(`mcp-tray proxy (${server}): ${describeError(error)}\n`))
  await answerWithStartFailure(error, { input: process.stdin, output: process.stdout, server })
  process.exit(1)
}

export function registerProxy(program: Command): void {
  program
    .command('proxy')
    .description('Relay an MCP client on stdio (e.g. Claude Desktop) to a remote MCP server. stdout carries protocol messages only.')
    .argument('<server>', 'a server’s name (see `mcp-tray list`), or its MCP endpoint URL (added when new)')
    .option('--timeout <ms>', 'answer a request with an error when the server takes longer than this', positiveMs)
    .option('--max-message-bytes <bytes>', 'the largest message read from the client or the server (default 32 MiB)', wholeNumber(1024, 512 * 1024 * 1024, 'bytes'))
    .option('--max-sockets <n>', 'connections open at once to the server; more requests wait their turn (default 8)', wholeNumber(1, 256, 'connections'))
    .action(async (server: string, options: { timeout?: number; maxMessageBytes?: number; maxSockets?: number }) => {
      const { keepRelayingOnUnexpectedErrors } = await import('../../core/proxy/last-resort')
      keepRelayingOnUnexpectedErrors(process, process.stderr, `mcp-tray proxy (${server})`)
      const registry = registrySnapshot()
      const [{ Relay }, { proxyLogSink }, { withExtraHeaders }, { createNodeHttpFetch }, { SecretValues }, held, resolved, hub, network] = await Promise.all([
        import('../../core/proxy/relay'),
        import('../../core/proxy/hub-log-sink'),
        import('../../core/proxy/extra-headers'),
        import('../../core/proxy/node-http-fetch'),
        import('../../core/logs/secret-values'),
        import('../../core/proxy/held-secrets'),
        proxyTarget(server, registry).then(
          (target) => ({ target }),
          (error: unknown) => ({ error }),
        ),
        hubAccess(),
        upstreamNetwork(server, registry),
      ])
      if ('error' in resolved) {
        await refuseClient(server, resolved.error)
        return
      }
      const { target } = resolved
      // The token and header values this proxy holds, masked in all it writes to stderr and the log.
      const secrets = new SecretValues()
      const headers = await extraHeaders(target, hub)
      for (const value of Object.values(headers)) secrets.addHeaderValue(value)
      const relay = new Relay({
        url: target.url,
        server: target.name,
        input: process.stdin,
        output: process.stdout,
        diagnostics: held.scrubbingDiagnostics(process.stderr, secrets),
        tokens: held.rememberingTokens(hub.tokensFor(target.name), secrets),
        fetch: withExtraHeaders(createNodeHttpFetch({ maxMessageBytes: options.maxMessageBytes, maxSockets: options.maxSockets, createAgent: network.createAgent, fallback: network.fetch }), headers),
        sink: held.scrubbingSink(proxyLogSink(target.name, resolveDataDir()), secrets),
        timeoutMs: options.timeout ?? target.timeoutMs ?? (await defaultTimeoutMs()),
        maxLineBytes: options.maxMessageBytes,
      })
      const stop = (signal: string) => void relay.close(signal)
      // `on`, not `once`: exit-hook libraries loaded by conf re-raise a signal when theirs is the only listener left.
      process.on('SIGTERM', stop).on('SIGINT', stop)
      relay.start()
      await relay.done
      // Open sockets (keep-alive, aborted streams) may linger: the client expects the proxy gone now.
      setTimeout(() => process.exit(), 200).unref()
    })
}
