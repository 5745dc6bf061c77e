import type { ClientId, ConnectRequest, RedirectHost } from '../../../shared/dashboard-api'

/** The Add server form as typed: strings, as the fields hold them. */
export interface ServerForm {
  readonly url: string
  readonly name: string
  readonly timeoutSeconds: string
  readonly scope: string
  readonly clientId: string
  readonly clientSecret: string
  readonly headers: readonly { readonly name: string; readonly value: string }[]
  readonly redirectHost: RedirectHost | ''
  readonly clients: readonly ClientId[]
}

export const emptyServerForm: ServerForm = {
  url: '',
  name: '',
  timeoutSeconds: '',
  scope: '',
  clientId: '',
  clientSecret: '',
  headers: [],
  redirectHost: '',
  clients: [],
}

export type ServerFormField = 'url' | 'name' | 'timeoutSeconds' | 'headers'
export type ServerFormErrors = Partial<Record<ServerFormField, string>>

/** Whether text is a server URL worth asking the hub about; the words say what to fix when not. */
export function checkServerUrl(text: string): { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problem: string } {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, problem: 'Enter the server’s URL.' }
  if (/\s/.test(trimmed)) return { ok: false, problem: 'This is not a URL. Enter the full address, such as https://example.com/mcp.' }
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`)
  } catch {
    return { ok: false, problem: 'This is not a URL. Enter the full address, such as https://example.com/mcp.' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'MCP servers are reached over https:// (or http:// on this computer). Check the address.' }
  if (!url.hostname || (!url.hostname.includes('.') && url.hostname !== 'localhost' && !url.hostname.startsWith('['))) {
    return { ok: false, problem: 'This address has no full host name. Enter the full address, such as https://example.com/mcp.' }
  }
  return { ok: true, url: url.href }
}

const maxTimeoutSeconds = 86_400
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** The connect request the form stands for, or what to fix in which field. */
export function connectRequestOf(form: ServerForm, runId: string): { readonly request: ConnectRequest } | { readonly errors: ServerFormErrors } {
  const errors: ServerFormErrors = {}
  const url = checkServerUrl(form.url)
  if (!url.ok) errors.url = url.problem
  const name = form.name.trim()
  if (name.length > 100) errors.name = 'Choose a name of at most 100 characters.'
  let timeoutMs: number | undefined
  if (form.timeoutSeconds.trim() !== '') {
    const seconds = Number(form.timeoutSeconds)
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > maxTimeoutSeconds) errors.timeoutSeconds = `Enter a number of seconds between 1 and ${maxTimeoutSeconds.toLocaleString('en-US')}.`
    else timeoutMs = Math.round(seconds * 1000)
  }
  const headers: Record<string, string> = {}
  for (const header of form.headers) {
    if (header.name.trim() === '' && header.value === '') continue
    if (!headerName.test(header.name.trim())) {
      errors.headers = `“${header.name}” is not a valid header name (letters, digits and - only).`
      break
    }
    headers[header.name.trim()] = header.value
  }
  if (!url.ok || Object.keys(errors).length > 0) return { errors }
  return {
    request: {
      url: url.url,
      runId,
      ...(name ? { name } : {}),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(form.scope.trim() ? { scope: form.scope.trim().split(/\s+/).join(' ') } : {}),
      ...(form.clientId.trim() ? { clientId: form.clientId.trim() } : {}),
      ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(form.redirectHost ? { redirect: { host: form.redirectHost } } : {}),
      ...(form.clients.length > 0 ? { clients: form.clients } : {}),
    },
  }
}
