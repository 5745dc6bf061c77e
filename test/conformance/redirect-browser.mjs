/**
 * The "browser" of the conformance runs (`BROWSER=node redirect-browser.mjs`, the URL appended):
 * the conformance authorization server approves at once with a redirect, so loading the
 * authorization URL and following its redirects reaches the hub's loopback callback, as a person's
 * browser would. Plain JavaScript so that it starts in a few milliseconds.
 */
const url = process.argv.at(-1) ?? ''
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) })
  await response.arrayBuffer()
} catch (error) {
  process.stderr.write(`redirect-browser: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
