import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/**
 * The same policy the Electron window sets: scripts and styles from this origin only, no frames,
 * calls only back to this origin (the API and its event stream).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

/**
 * Serves one file of the built dashboard. The path comes from outside: a malformed
 * percent-encoding or a path leaving the folder is a 400 or a 404, never an exception.
 */
export async function serveRendererFile(rendererDir: string, rawPath: string, res: ServerResponse): Promise<void> {
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath === '/' ? '/index.html' : rawPath)
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request')
    return
  }
  const file = join(rendererDir, normalize(decoded))
  if (decoded.includes('\0') || !file.startsWith(rendererDir + sep)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
    return
  }
  let body: Buffer
  try {
    body = await readFile(file)
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
    return
  }
  res
    .writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy,
    })
    .end(body)
}
