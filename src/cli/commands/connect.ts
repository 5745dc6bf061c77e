import type { Command } from 'commander'
import type { ClientId } from '../../shared/client-ids'
import type { AppSettings } from '../../shared/app-settings'
import type { ConnectProgress, ConnectRequest, ConnectResult } from '../../shared/connect'
import { clientKinds } from '../../core/clients/client-kinds'
import { clientOptionHelp, restartOptionHelp } from './client-setup'
import { collectClients, headerOption, say, timeoutOption } from './server-options'

interface ConnectOptions {
  readonly name?: string
  readonly client?: ClientId[]
  readonly restartClient?: boolean
  readonly timeout?: number
  readonly scope?: string
  readonly header?: Record<string, string>
  readonly clientId?: string
  readonly clientSecret?: string
}

/** Beyond the sign-in's own limit (the wait for the browser): discovery, the exchange, the files, a restart. */
const connectMarginMs = 90_000

/**
 * `mcp-tray connect <url>`: the one-step connect the tray and the dashboard run too, through the hub
 * (started in the background when none runs): add → sign in → add to the clients → restart hint.
 * Each step is printed as it happens, the address to sign in at included.
 */
export function registerConnect(program: Command): void {
  program
    .command('connect')
    .description('Add a remote MCP server, sign in, and add it to Claude Desktop (and the clients enabled in settings), in one step.')
    .argument('<server>', 'the server URL, e.g. https://example.com/mcp (or the name of one already added)')
    .option('--name <name>', 'a short name for a new server (default: made from the URL)')
    .option('--client <client>', `${clientOptionHelp} (repeatable; default: Claude Desktop and the clients enabled in settings)`, collectClients)
    .option('--restart-client', restartOptionHelp)
    .option('--timeout <ms>', 'how long the proxy waits for an answer before it answers with an error', timeoutOption)
    .option('--scope <scope>', 'scopes to ask for, space-separated')
    .option('--header <header>', 'an extra HTTP header "Name: value" sent with every request (repeatable; the value is stored encrypted)', headerOption)
    .option('--client-id <id>', 'a client id the authorization server issued to you')
    .option('--client-secret <secret>', 'its client secret (stored encrypted)')
    .action(async (server: string, options: ConnectOptions) => {
      const [{ randomUUID }, { withHub }, { connectProgressEvent }, { TrayError }, { describeExpiry }] = await Promise.all([
        import('node:crypto'),
        import('./hub-session'),
        import('../../core/hub/lifecycle-handlers'),
        import('../../shared/tray-error'),
        import('./headless-oauth'),
      ])
      const runId = randomUUID()
      const request: ConnectRequest = {
        ...(isUrl(server) ? { url: server, ...(options.name ? { name: options.name } : {}) } : { name: server }),
        ...(options.client ? { clients: options.client } : {}),
        ...(options.restartClient ? { restartClient: true } : {}),
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
        ...(options.scope === undefined ? {} : { scope: options.scope }),
        ...(options.header === undefined ? {} : { headers: options.header }),
        ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
        ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
        runId,
      }
      const result = await withHub(async (hub) => {
        const { signInTimeoutMs } = await hub.call<AppSettings>('getSettings')
        const printProgress = progressPrinter()
        hub.onEvent((event) => {
          const progress = event.data as ConnectProgress | undefined
          if (event.event === connectProgressEvent && progress?.runId === runId) printProgress(progress)
        })
        // Ctrl+C cancels: a sign-in this connect started ends, and what it added is undone.
        const cancel = (): void => void hub.call('cancelConnect', { runId }).catch(() => undefined)
        process.on('SIGINT', cancel)
        try {
          return await hub.call<ConnectResult>('connect', request, { timeoutMs: signInTimeoutMs + connectMarginMs })
        } catch (error) {
          if (error instanceof TrayError && error.code === 'hub_timeout') {
            throw new TrayError('connect_timeout', `MCP Tray did not finish connecting ${server} in time.`, {
              hint: 'Open MCP Tray (or run `mcp-tray status`) to see where it stands, then connect again.',
              cause: error,
            })
          }
          throw error
        } finally {
          process.off('SIGINT', cancel)
        }
      })
      const signedIn = result.signIn.state === 'signed-in' ? `signed in (${describeExpiry(result.signIn.expiresAt)})` : 'no sign-in needed'
      const clients = result.installed.map((outcome) => clientKinds[outcome.client].displayName).join(', ')
      say(`Connected ${result.server}: ${signedIn}; ${clients} start${result.installed.length === 1 ? 's' : ''} it through MCP Tray.`)
      if (result.restartNeeded.includes('claude-desktop')) say('Restart Claude Desktop to load it (or connect again with --restart-client).')
    })
}

/**
 * Each step on stderr, as login shows its progress: its start and its end marked, what happens in
 * between indented below it. A failure is said once, by the error the command ends with.
 */
function progressPrinter(): (progress: ConnectProgress) => void {
  let step: ConnectProgress['step'] | undefined
  return (progress) => {
    if (progress.state === 'failed') return
    const detail = progress.state === 'running' && progress.step === step
    step = progress.step
    const mark = detail ? ' ' : progress.state === 'done' ? '✓' : progress.state === 'skipped' ? '-' : '…'
    const lines = progress.message.split('\n').map((line, index) => `${index === 0 ? mark : ' '} ${line}`)
    process.stderr.write(`${lines.join('\n')}\n`)
  }
}

function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value)
}
