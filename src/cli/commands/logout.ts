import type { Command } from 'commander'
import { resolveDataDir } from '../../core/data/data-dir'
import type { SignOutReply } from '../../core/hub/sign-in-handlers'
import { openHeadlessOAuth } from './headless-oauth'
import { isUnknownMethod, runningHub } from './running-hub'
import { safeText } from '../../shared/safe-text'

/** Revocation is one or two requests to the authorization server; the hub gets this long for them. */
const hubSignOutTimeoutMs = 30_000

/**
 * `mcp-tray logout <name>`: revokes at the server where it can (RFC 7009) and forgets the tokens.
 * While MCP Tray runs, its hub does it (it holds the vault, and its status shows the sign-out);
 * otherwise this command does.
 */
export function registerLogout(program: Command): void {
  program
    .command('logout')
    .description('Sign out of a server: revoke its tokens where supported and forget them.')
    .argument('<name>', 'the server name')
    .action(async (name: string) => {
      const result = (await signOutThroughHub(name)) ?? (await signOutHere(name))
      if (result.problem) process.stderr.write(`${safeText(result.problem)}\n`)
      process.stdout.write(`Signed out of ${name}${result.revoked ? ' (the server revoked the tokens)' : ''}.\n`)
    })
}

/** Undefined when no hub runs, or it predates `signOut`. An unknown name fails in the hub, with its hint. */
async function signOutThroughHub(name: string): Promise<SignOutReply | undefined> {
  const hub = await runningHub(resolveDataDir())
  if (!hub) return undefined
  try {
    return await hub.call<SignOutReply>('signOut', { server: name }, { timeoutMs: hubSignOutTimeoutMs })
  } catch (error) {
    if (isUnknownMethod(error)) return undefined
    throw error
  } finally {
    hub.close()
  }
}

async function signOutHere(name: string): Promise<SignOutReply> {
  const { registry, engine } = await openHeadlessOAuth()
  registry.require(name)
  return engine.tokens.signOut(name)
}
