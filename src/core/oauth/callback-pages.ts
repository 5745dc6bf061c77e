/** The pages a person sees in the browser after sign-in: plain, no scripts, nothing remote. */
export interface CallbackPage {
  readonly kind: 'success' | 'failure'
  readonly title: string
  readonly message: string
}

/** RFC 8252 §7.3: what the loopback redirect receiver shows. Text is escaped. */
export function renderCallbackPage(page: CallbackPage): string {
  const colour = page.kind === 'success' ? '#1a7f37' : '#b42318'
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MCP Tray – ${escapeHtml(page.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}h1{color:${colour};font-size:1.5rem}</style>
</head><body><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p>
<p>${page.kind === 'success' ? 'MCP Tray has what it needs.' : 'You can close this tab and try again from MCP Tray.'}</p></body></html>`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
