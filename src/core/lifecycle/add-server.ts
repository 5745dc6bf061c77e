import type { AddServerRequest } from '../../shared/server-view'
import { TrayError } from '../../shared/tray-error'
import { networkFailure } from '../net/network-failure'
import { clientSecretKey } from '../oauth/server-auth-record'
import { probeRequest, processProbeResponse } from '../oauth/server-probe'
import { serverEntrySchema, type ServerEntry } from '../registry/server-entry'
import { storeServerHeaders } from '../registry/server-headers'
import type { LifecycleDeps } from './lifecycle-deps'

/** How long the check that a new server answers may take. */
const reachTimeoutMs = 15_000

/**
 * Adds the server (or updates the one listed under the same URL with the options given) and puts
 * its secrets, a client secret and header values, in the vault; the registry never holds them.
 */
export async function addServerEntry(
  deps: Pick<LifecycleDeps, 'registry' | 'engine'>,
  request: AddServerRequest,
): Promise<{ server: ServerEntry; created: boolean }> {
  const { registry, engine } = deps
  const headerNames = request.headers === undefined ? undefined : Object.keys(request.headers)
  let { server, created } = registry.add({
    url: request.url,
    ...(request.name === undefined ? {} : { name: request.name }),
    ...(headerNames === undefined ? {} : { headerNames }),
    ...(request.clientId === undefined ? {} : { clientId: request.clientId }),
    ...(request.scope === undefined ? {} : { scope: request.scope }),
    ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
  })
  if (request.redirect !== undefined) {
    try {
      server = registry.replace(server.name, withOption(server, 'redirect', request.redirect))
    } catch (error) {
      if (created) registry.remove(server.name)
      throw error
    }
  }
  if (request.headers !== undefined) await storeServerHeaders(engine.vault, server.name, request.headers)
  if (request.clientSecret !== undefined) await engine.vault.set(clientSecretKey(server.name), { clientSecret: request.clientSecret })
  return { server, created }
}

/**
 * Sets one option of an entry, refusing an option this version's registry does not keep: the
 * schema would drop it silently, and the person would think it set.
 */
export function withOption(entry: ServerEntry, key: string, value: unknown): ServerEntry {
  if (!(key in serverEntrySchema.shape)) {
    throw new TrayError('server_option_unsupported', `This MCP Tray cannot keep the option ${key} for a server yet.`, {
      hint: 'Update MCP Tray, or leave the option out.',
    })
  }
  const next: Record<string, unknown> = { ...entry }
  if (value === null || value === undefined) delete next[key]
  else next[key] = value
  return next as ServerEntry
}

/**
 * Checks that the address answers HTTP at all, before a new server is added: a typo or a server
 * that is down is reported as such, with nothing saved. A 401, a 404 or a 405 all answer.
 */
export async function checkReachable(url: string, headers: Readonly<Record<string, string>>, fetchImpl: typeof fetch = fetch): Promise<void> {
  let response: Response
  try {
    response = await probeRequest(new URL(url), { ...headers }, { fetch: fetchImpl, signal: AbortSignal.timeout(reachTimeoutMs) })
  } catch (error) {
    throw unreachable(url, error)
  }
  await processProbeResponse(response)
}

function unreachable(url: string, error: unknown): TrayError {
  // A refused certificate or a failing proxy says so itself, with what to do.
  const atTheEdge = networkFailure(error)
  if (atTheEdge) return atTheEdge
  const cause = (error as { cause?: { code?: string } }).cause
  const code = cause?.code ?? (error as { name?: string }).name
  const host = new URL(url).host
  const why =
    code === 'ECONNREFUSED'
      ? `${host} refused the connection`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `no address was found for ${new URL(url).hostname}`
        : code === 'TimeoutError' || code === 'ETIMEDOUT'
          ? `${host} did not answer within ${reachTimeoutMs / 1000} s`
          : `${host} could not be reached (${code ?? (error instanceof Error ? error.message : String(error))})`
  return new TrayError('server_unreachable', `${url} does not answer: ${why}.`, {
    hint: 'Check the address and that the server is up (`mcp-tray doctor <url>` shows where it fails), then try again.',
    cause: error,
  })
}
