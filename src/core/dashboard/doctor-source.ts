import type { DoctorReport, DoctorStep } from '../../shared/doctor-report'
import { runDoctor, type DoctorDeps } from '../doctor/run-doctor'
import type { OAuthEngine } from '../oauth/oauth-engine'
import { serverKey, type ServerAuthRecord } from '../oauth/server-auth-record'
import { redirectUriOf } from '../registry/redirect-uri'
import { readServerHeaders } from '../registry/server-headers'
import type { ServerRegistry } from '../registry/server-registry'

/**
 * The doctor as the hub runs it for a page: a registered server's name brings its URL, headers,
 * client id and the hub's token (a refresh at most, never a browser); anything else is a URL.
 */
export function hubDoctor(registry: Pick<ServerRegistry, 'get' | 'settings'>, engine: Pick<OAuthEngine, 'tokens' | 'vault'> & Partial<Pick<OAuthEngine, 'network'>>, given: DoctorDeps = {}) {
  // The doctor checks on the hub's own network: its proxy and the certificates it trusts.
  const deps: DoctorDeps = { ...(engine.network ? { network: engine.network } : {}), ...given }
  return async (request: { target: string; callTool?: string }, onStep: (step: DoctorStep) => void): Promise<DoctorReport> => {
    const entry = registry.get(request.target)
    const callTool = request.callTool === undefined ? {} : { callTool: request.callTool }
    if (!entry) return runDoctor({ url: request.target, target: request.target, ...callTool }, deps, onStep)
    const headers = await readServerHeaders(engine.vault, entry.name)
    const settings = registry.settings()
    return runDoctor(
      {
        url: entry.url,
        server: entry.name,
        target: request.target,
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(entry.clientId ? { clientId: entry.clientId } : {}),
        redirectUri: redirectUriOf(entry.redirect, settings.callbackPort),
        ...(settings.proxyUrl ? { proxyUrl: settings.proxyUrl } : {}),
        trustSystemCertificates: settings.trustSystemCertificates,
        ...callTool,
      },
      {
        ...deps,
        // A registration the authorization server forgot shows as `invalid-client`.
        storedClient: async () => {
          const record = await engine.vault.get<ServerAuthRecord>(serverKey(entry.name))
          return record?.registrationKey ? { issuer: record.issuer, clientId: record.clientId } : undefined
        },
        getAccessToken: async () => {
          const status = await engine.tokens.status(entry.name)
          if (status.state !== 'signed-in') return undefined
          const accessToken = await engine.tokens.getAccessToken(entry.name)
          return { accessToken, ...(status.expiresAt === undefined ? {} : { expiresAt: status.expiresAt }) }
        },
      },
      onStep,
    )
  }
}
