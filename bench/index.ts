import { writeFile } from 'node:fs/promises'
import { parseBenchOptions, usage } from './options'
import { renderMarkdown, renderText } from './report'
import { runBench } from './run'

/** Prints each kind of process warning once instead of once per occurrence. */
function warnOnce(): void {
  const seen = new Set<string>()
  process.removeAllListeners('warning')
  process.on('warning', (warning) => {
    if (seen.has(warning.name)) return
    seen.add(warning.name)
    process.stderr.write(`bench: ${warning.name}: ${warning.message} (shown once)\n`)
  })
}

/** `npm run bench`: progress on stderr, the table on stdout. */
const options = parseBenchOptions(process.argv.slice(2))
if (options.help) {
  process.stdout.write(usage)
} else {
  // Node's fetch keeps one abort listener per request on the direct client's shared signal until it is
  // garbage-collected, so thousands of direct calls would print thousands of identical warnings.
  warnOnce()
  const results = await runBench(options.settings, (line) => process.stderr.write(`bench: ${line}\n`))
  process.stdout.write(renderText(results))
  if (options.markdown) process.stdout.write(`\n${renderMarkdown(results)}`)
  if (options.jsonPath !== undefined) await writeFile(options.jsonPath, `${JSON.stringify(results, null, 2)}\n`)
}
