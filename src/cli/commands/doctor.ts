import { CommanderError, type Command } from 'commander'
import type { DoctorAccess, DoctorDeps, DoctorInput } from '../../core/doctor/run-doctor'
import type { HubConnection } from '../../core/hub/hub-client'
import type { TokenReply } from '../../core/hub/token-handlers'
import type { SignInStatusReply } from '../../core/hub/sign-in-handlers'
import type { Network } from '../../core/net/network'
import type { ServerAuthRecord } from '../../core/oauth/server-auth-record'

interface DoctorOptions {
  readonly json?: boolean
  readonly markdown?: boolean
  readonly callTool?: string
}

/** Exit status of a run that found the server not healthy (1 is any other failure of the command). */
export const unhealthyExitCode = 2

/** How long the command waits for the hub to hand over a token (it may refresh first). */
const hubTokenWaitMs = 20_000

interface Setup {
  readonly input: DoctorInput
  readonly deps: DoctorDeps
  close(): Promise<void>
}

function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target)
}

/**
 * What the doctor needs for a URL (the network only) or for a server's name (its registry entry
 * and settings, and its sign-in: through the running hub when there is one, which alone may read
 * and refresh the tokens then; else from the vault here). No hub is started and no browser opened.
 */
async function setUp(target: string, options: DoctorOptions): Promise<Setup> {
  const [{ createNetwork }, { resolveDataDir }, { readRegistrySnapshot }, { ServerRegistry }, { redirectUriOf }] = await Promise.all([
    import('../../core/net/network'),
    import('../../core/data/data-dir'),
    import('../../core/registry/registry-snapshot'),
    import('../../core/registry/server-registry'),
    import('../../core/registry/redirect-uri'),
  ])
  const callTool = options.callTool ? { callTool: options.callTool } : {}
  const dataDir = resolveDataDir()
  const registry = new ServerRegistry(await readRegistrySnapshot(dataDir))
  const settings = registry.settings()
  const network: Network = createNetwork({
    env: process.env,
    proxyUrl: settings.proxyUrl,
    trustSystemCertificates: settings.trustSystemCertificates,
    connectTimeoutMs: 10_000,
  })
  const networkSettings = {
    ...(settings.proxyUrl ? { proxyUrl: settings.proxyUrl } : {}),
    trustSystemCertificates: settings.trustSystemCertificates,
  }
  if (isUrl(target)) {
    return { input: { url: target, ...networkSettings, ...callTool }, deps: { network }, close: () => network.close() }
  }
  const entry = registry.require(target)
  const signIn = await signInFor(dataDir, target)
  return {
    input: {
      url: entry.url,
      server: entry.name,
      target,
      ...(entry.clientId ? { clientId: entry.clientId } : {}),
      ...(signIn.headers ? { headers: signIn.headers } : {}),
      redirectUri: redirectUriOf(entry.redirect, settings.callbackPort),
      ...networkSettings,
      ...callTool,
    },
    deps: { network, getAccessToken: signIn.getAccessToken, ...(signIn.storedClient ? { storedClient: signIn.storedClient } : {}) },
    async close() {
      signIn.close()
      await network.close()
    },
  }
}

interface SignInAccess {
  readonly getAccessToken: (signal: AbortSignal) => Promise<DoctorAccess | undefined>
  readonly storedClient?: DoctorDeps['storedClient']
  readonly headers?: Record<string, string>
  close(): void
}

async function signInFor(dataDir: string, name: string): Promise<SignInAccess> {
  const { runningHub } = await import('./running-hub')
  let hub: HubConnection | undefined
  try {
    hub = await runningHub(dataDir)
  } catch (error) {
    // A hub that runs but does not answer holds the tokens: going around it could spend a rotating refresh token.
    return { getAccessToken: () => Promise.reject(error), close: () => undefined }
  }
  if (hub) {
    const connection = hub
    return {
      async getAccessToken() {
        const [reply, status] = await Promise.all([
          connection.call<TokenReply>('token', { server: name }, { timeoutMs: hubTokenWaitMs }),
          connection.call<SignInStatusReply>('signInStatus', undefined, { timeoutMs: hubTokenWaitMs }).catch(() => undefined),
        ])
        if (!reply.token) return undefined
        const expiresAt = status?.servers.find((row) => row.name === name)?.expiresAt
        return { accessToken: reply.token, ...(expiresAt !== undefined ? { expiresAt } : {}) }
      },
      close: () => connection.close(),
    }
  }
  const [{ openHeadlessOAuth }, { serverKey }, { readServerHeaders }] = await Promise.all([
    import('./headless-oauth'),
    import('../../core/oauth/server-auth-record'),
    import('../../core/registry/server-headers'),
  ])
  const { engine } = await openHeadlessOAuth()
  const record = await engine.vault.get<ServerAuthRecord>(serverKey(name)).catch(() => undefined)
  const headers = await readServerHeaders(engine.vault, name).catch(() => ({}))
  return {
    async getAccessToken() {
      const status = await engine.tokens.status(name)
      if (status.state !== 'signed-in') return undefined
      const accessToken = await engine.tokens.getAccessToken(name)
      const expiresAt = (await engine.tokens.status(name)).expiresAt
      return { accessToken, ...(expiresAt !== undefined ? { expiresAt } : {}) }
    },
    ...(record?.registrationKey ? { storedClient: async () => ({ issuer: record.issuer, clientId: record.clientId }) } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    close: () => undefined,
  }
}

/**
 * `mcp-tray doctor <url|name>`: diagnoses a connection step by step (network, MCP endpoint,
 * OAuth discovery and registration, then the signed-in session) and says what to fix. Exit
 * status 0 when healthy, 2 when not.
 */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Diagnose the connection to a remote MCP server, step by step, and say what to fix.')
    .argument('<target>', 'a server name (see `mcp-tray list`) or an MCP server URL')
    .option('--json', 'the report as JSON')
    .option('--markdown', 'the report as redacted Markdown, for a bug report')
    .option('--call-tool <name>', 'once signed in, call this tool with no arguments (pick one that only reads)')
    .action(async (target: string, options: DoctorOptions) => {
      const [{ runDoctor }, { renderDoctorMarkdown }, { renderStepText, renderVerdictText }] = await Promise.all([
        import('../../core/doctor/run-doctor'),
        import('../../core/doctor/doctor-markdown'),
        import('../../core/doctor/doctor-text'),
      ])
      const setup = await setUp(target, options)
      const text = !options.json && !options.markdown
      const colour = text && process.stdout.isTTY === true && !process.env.NO_COLOR
      const controller = new AbortController()
      const stop = (): void => controller.abort(new Error('interrupted'))
      process.once('SIGINT', stop)
      let report
      try {
        if (text) process.stdout.write(`MCP Tray doctor: ${setup.input.server ? `${setup.input.server} (${setup.input.url})` : setup.input.url}\n\n`)
        report = await runDoctor(setup.input, { ...setup.deps, signal: controller.signal }, (step) => {
          if (text && step.status !== 'running') process.stdout.write(`${renderStepText(step, { colour }).join('\n')}\n`)
        })
      } finally {
        process.off('SIGINT', stop)
        await setup.close()
      }
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      else if (options.markdown) process.stdout.write(renderDoctorMarkdown(report))
      else process.stdout.write(`\n${renderVerdictText(report, { colour })}\n`)
      if (!report.healthy) throw new CommanderError(unhealthyExitCode, 'mcp-tray.doctor.unhealthy', '')
    })
}
