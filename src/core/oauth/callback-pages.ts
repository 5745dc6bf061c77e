import { safeText } from '../../shared/safe-text'

/** The pages a person sees in the browser after sign-in: plain, no scripts, nothing remote. */
export interface CallbackPage {
  /** `pending`: the response arrived, but the sign-in had not ended when the page had to be sent. */
  readonly kind: 'success' | 'failure' | 'pending'
  readonly title: string
  readonly message: string
}

const colours: Record<CallbackPage['kind'], string> = { success: '#1a7f37', failure: '#b42318', pending: '#9a6700' }
const closings: Record<CallbackPage['kind'], string> = {
  success: 'MCP Tray has what it needs.',
  failure: 'You can close this tab and try again from MCP Tray.',
  pending: 'MCP Tray will say whether it worked.',
}

/** RFC 8252 §7.3: what the loopback redirect receiver shows. Text is made safe, then escaped. */
export function renderCallbackPage(page: CallbackPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MCP Tray – ${escapeHtml(page.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}h1{color:${colours[page.kind]};font-size:1.5rem}</style>
</head><body><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p>
<p>${closings[page.kind]}</p></body></html>`
}

function escapeHtml(text: string): string {
  return safeText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
