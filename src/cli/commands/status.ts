import type { Command } from 'commander'
import type { ServerStatus } from '../../shared/dashboard-api'

/**
 * The hub's live status of every server, or why there is none: no hub runs (one is never started
 * for this), or it did not answer.
 */
async function liveStatus(dataDir: string): Promise<{ servers: ServerStatus[] } | { missing: string }> {
  const [{ hubAddressFor }, { connectToHub }, { describeError }] = await Promise.all([
    import('../../core/hub/hub-address'),
    import('../../core/hub/hub-client'),
    import('../../shared/tray-error'),
  ])
  const hub = await connectToHub(hubAddressFor(dataDir), 'cli', { timeoutMs: 1_000 }).catch(() => undefined)
  if (!hub) return { missing: 'MCP Tray is not running: no live status (start it, or run `mcp-tray serve`).' }
  try {
    return { servers: (await hub.call<{ servers: ServerStatus[] }>('status', undefined, { timeoutMs: 2_000 })).servers }
  } catch (error) {
    return { missing: `MCP Tray gave no live status: ${describeError(error)}` }
  } finally {
    hub.close()
  }
}

/** "connected, 2 proxies, 14 requests, 1 error, active 12:00:01: <last error>" */
export function describeLive(live: ServerStatus): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  const parts = [live.state, count(live.proxies, 'proxy', 'proxies'), count(live.requests, 'request', 'requests'), count(live.errors, 'error', 'errors')]
  if (live.lastActivity) parts.push(`active ${new Date(live.lastActivity).toLocaleTimeString()}`)
  const line = parts.join(', ')
  return live.lastError && (live.state === 'error' || live.state === 'sign-in-needed') ? `${line}: ${live.lastError}` : line
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
      const [{ describeExpiry, openHeadlessOAuth }] = await Promise.all([import('./headless-oauth')])
      const { dataDir, registry, engine } = await openHeadlessOAuth()
      const [rows, live] = await Promise.all([
        Promise.all(registry.list().map(async (s) => ({ name: s.name, url: s.url, ...(await engine.tokens.status(s.name)) }))),
        liveStatus(dataDir),
      ])
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
            : (row.problem ?? '')
        const now = liveOf.get(row.name)
        process.stdout.write(`${row.name}\t${row.state}${detail ? `\t${detail}` : ''}${now ? `\tlive: ${describeLive(now)}` : ''}\n`)
      }
      if ('missing' in live) process.stderr.write(`${live.missing}\n`)
      if (engine.vault.cipher.weak) process.stderr.write(`Tokens are encrypted with ${engine.vault.cipher.label}.\n`)
    })
}
