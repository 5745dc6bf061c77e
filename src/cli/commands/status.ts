import type { Command } from 'commander'
import type { SignInStatusReply } from '../../core/hub/sign-in-handlers'
import type { ServerStatus } from '../../shared/dashboard-api'
import { safeText } from '../../shared/safe-text'

interface StatusView {
  /** Each server's sign-in (never a token), as the hub reads it or, without one, this command. */
  readonly rows: SignInStatusReply['servers']
  readonly cipher: SignInStatusReply['cipher']
  /** The hub's live status of every server, or why there is none. */
  readonly live: { servers: ServerStatus[] } | { missing: string }
}

/**
 * What `status` shows. While MCP Tray runs, its hub reads the sign-ins (it alone opens what the app
 * sealed with the keychain) and says what it sees live; no hub is started for this.
 */
async function readStatus(): Promise<StatusView> {
  const [{ resolveDataDir }, { hubAddressFor }, { connectToHub }, { describeError, TrayError }] = await Promise.all([
    import('../../core/data/data-dir'),
    import('../../core/hub/hub-address'),
    import('../../core/hub/hub-client'),
    import('../../shared/tray-error'),
  ])
  let hub: Awaited<ReturnType<typeof connectToHub>>
  try {
    hub = await connectToHub(hubAddressFor(resolveDataDir()), 'cli', { timeoutMs: 2_000 })
  } catch (error) {
    const missing =
      error instanceof TrayError && error.code === 'hub_unavailable'
        ? 'MCP Tray is not running: no live status (start it, or run `mcp-tray serve`).'
        : `MCP Tray runs but gave no status: ${describeError(error)}`
    return { ...(await readSignInsHere()), live: { missing } }
  }
  try {
    const [signIns, live] = await Promise.all([
      // A hub from before `signInStatus`, or one too busy to say: read the sign-ins here.
      hub.call<SignInStatusReply>('signInStatus', undefined, { timeoutMs: 5_000 }).catch(() => undefined),
      hub.call<{ servers: ServerStatus[] }>('status', undefined, { timeoutMs: 2_000 }).then(
        ({ servers }) => ({ servers }),
        (error: unknown) => ({ missing: `MCP Tray gave no live status: ${describeError(error)}` }),
      ),
    ])
    return { ...(signIns ? { rows: signIns.servers, cipher: signIns.cipher } : await readSignInsHere()), live }
  } finally {
    hub.close()
  }
}

async function readSignInsHere(): Promise<Omit<StatusView, 'live'>> {
  const { openHeadlessOAuth } = await import('./headless-oauth')
  const { registry, engine } = await openHeadlessOAuth()
  const rows = await Promise.all(registry.list().map(async ({ name, url }) => ({ name, url, ...(await engine.tokens.status(name)) })))
  return { rows, cipher: { label: engine.vault.cipher.label, weak: engine.vault.cipher.weak } }
}

/** "connected, 2 proxies, 14 requests, 1 error, active 12:00:01: <last error>" */
export function describeLive(live: ServerStatus): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  const parts = [live.state, count(live.proxies, 'proxy', 'proxies'), count(live.requests, 'request', 'requests'), count(live.errors, 'error', 'errors')]
  if (live.lastActivity) parts.push(`active ${new Date(live.lastActivity).toLocaleTimeString()}`)
  const line = parts.join(', ')
  return live.lastError && (live.state === 'error' || live.state === 'sign-in-needed') ? `${line}: ${safeText(live.lastError, { singleLine: true })}` : line
}

/**
 * `mcp-tray status`: per server, signed in or not, expiry and scopes; never a token. When MCP Tray
 * runs, also what it sees live: proxies attached, requests, errors, sign-in needed.
 */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show whether you are signed in to each server, when the sign-in expires and its scopes, and, while MCP Tray runs, each server’s live status.')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const [{ describeExpiry }, { rows, cipher, live }] = await Promise.all([import('./headless-oauth'), readStatus()])
      const liveOf = new Map('servers' in live ? live.servers.map((status) => [status.server, status]) : [])
      if (options.json) {
        const withLive = rows.map((row) => ({ ...row, ...(liveOf.has(row.name) ? { live: liveOf.get(row.name) } : {}) }))
        return void process.stdout.write(`${JSON.stringify(withLive, null, 2)}\n`)
      }
      if (rows.length === 0) return void process.stdout.write('No servers yet. Add one with: mcp-tray add <url>\n')
      for (const row of rows) {
        const detail =
          row.state === 'signed-in'
            ? `${describeExpiry(row.expiresAt)}; scopes: ${row.scopes?.join(' ') || 'none'}`
            : safeText(row.problem ?? '', { singleLine: true })
        const now = liveOf.get(row.name)
        // A failure the doctor can explain step by step: say how to ask it.
        const doctor = row.state === 'error' || now?.state === 'error' ? `\t(diagnose: mcp-tray doctor ${row.name})` : ''
        process.stdout.write(`${row.name}\t${row.state}${detail ? `\t${detail}` : ''}${now ? `\tlive: ${describeLive(now)}` : ''}${doctor}\n`)
        // A sign-in waiting in a browser nobody may see (a hub a proxy started): where to finish it.
        if (row.signInUrl) process.stdout.write(`\tsign-in waiting: open ${row.signInUrl}\n`)
      }
      if ('missing' in live) process.stderr.write(`${safeText(live.missing)}\n`)
      if (cipher.weak) process.stderr.write(`Tokens are encrypted with ${cipher.label}.\n`)
    })
}
