import type { Command } from 'commander'
import { clientIds, clientKinds, type ClientId } from '../../core/clients/client-kinds'
import { migrateMcpRemote, type MigrationCandidate, type MigrationOutcome } from '../../core/clients/mcp-remote-migration'
import { registryDirectory } from '../../core/clients/registry-directory'
import { defaultRedirectPath, redirectUriOf } from '../../core/registry/redirect-uri'
import type { RedirectSettings } from '../../shared/server-view'
import { adviseReload, clientOption, clientOptionHelp, openClientConfigs, restartOptionHelp } from './client-setup'
import { openHeadlessOAuth } from './headless-oauth'

function collectClients(value: string, previous: ClientId[] = []): ClientId[] {
  return [...previous, clientOption(value)]
}

/** `mcp-tray import-mcp-remote`: takes over the `mcp-remote` entries of every client's config. */
export function registerImportMcpRemote(program: Command): void {
  program
    .command('import-mcp-remote')
    .description('Find entries that run `mcp-remote <url>` in MCP clients’ configs, add their servers to MCP Tray and replace the entries (each file is backed up first).')
    .option('--dry-run', 'only show what would be imported and replaced')
    .option('--client <client>', `${clientOptionHelp} (repeatable; all by default)`, collectClients)
    .option('--restart-client', restartOptionHelp)
    .action(async (options: { dryRun?: boolean; client?: ClientId[]; restartClient?: boolean }) => {
      const { dataDir, registry, engine } = await openHeadlessOAuth()
      const report = await migrateMcpRemote(openClientConfigs(dataDir), registryDirectory(registry, engine.vault), {
        dryRun: options.dryRun ?? false,
        clients: options.client ?? clientIds,
      })
      const write = (line: string) => void process.stdout.write(`${line}\n`)
      for (const { client, file, problem } of report.unreadable) write(`${clientKinds[client].displayName}: skipped ${file}: ${problem}`)
      if (report.candidates.length === 0) return write('No mcp-remote entries found.')
      for (const candidate of report.candidates) {
        const outcome = report.outcomes.find((o) => o.candidate === candidate)
        write(describeCandidate(candidate, outcome, options.dryRun ?? false))
      }
      if (options.dryRun) return write('Dry run: nothing was changed. Run without --dry-run to import.')
      const changed = new Set(report.outcomes.filter((o) => o.status === 'migrated').map((o) => o.candidate.client))
      for (const client of changed) await adviseReload(client, options.restartClient ?? false, write)
    })
}

/** One entry's lines; header values and secrets are never shown. */
function describeCandidate(candidate: MigrationCandidate, outcome: MigrationOutcome | undefined, dryRun: boolean): string {
  const lines = [`${clientKinds[candidate.client].displayName} "${candidate.key}" (${candidate.file}) → ${candidate.url || 'no URL'}`]
  const carried = [
    candidate.headerNames.length > 0 ? `headers ${candidate.headerNames.join(', ')}` : undefined,
    candidate.clientId ? `client id ${candidate.clientId}` : undefined,
    candidate.hasClientSecret ? 'client secret (to the vault)' : undefined,
    candidate.scope ? `scope ${candidate.scope}` : undefined,
    candidate.redirect
      ? `sign-in redirect ${shownRedirect(candidate.redirect)}` +
        (candidate.derivedPort !== undefined ? ` (port ${candidate.derivedPort}: the one mcp-remote derived from the URL)` : '')
      : undefined,
  ].filter(Boolean)
  if (carried.length > 0) lines.push(`  imports: ${carried.join('; ')}`)
  if (candidate.dropped.length > 0) lines.push(`  not needed with MCP Tray: ${candidate.dropped.join(', ')}`)
  if (dryRun) {
    lines.push(candidate.blockers.length > 0 ? `  would be left as it is: ${candidate.blockers.join('; ')}` : `  would become MCP Tray server "${candidate.server}"`)
  } else if (outcome?.status === 'migrated') {
    lines.push(`  replaced: now runs MCP Tray server "${outcome.server}"${outcome.backup ? `; previous file saved as ${outcome.backup}` : ''}`)
  } else if (outcome) {
    lines.push(`  left as it is: ${outcome.reason}`)
  }
  return lines.join('\n')
}

/** The redirect URI as it will be used; without a port, the app's callback port. */
function shownRedirect(redirect: RedirectSettings): string {
  return redirect.port ? redirectUriOf(redirect, redirect.port) : `http://${redirect.host}:<callback port>${redirect.path ?? defaultRedirectPath}`
}
