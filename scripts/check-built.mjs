#!/usr/bin/env node
// Checks the build output without running any of it: the entry points exist, and every script
// under out/ parses (`node --check`), so a bundle that cannot load fails here instead of at the
// first start. Nothing from out/ is imported.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, 'out')
const entryPoints = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/index.js']

function* scriptsUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* scriptsUnder(path)
    else if (/\.(js|mjs|cjs)$/.test(entry.name)) yield path
  }
}

if (!existsSync(out)) {
  console.error('check-built: there is no out/ folder; run `npm run build` first.')
  process.exit(1)
}

const failures = []
for (const entry of entryPoints) {
  if (!existsSync(join(root, entry))) failures.push(`${entry} is missing from the build output.`)
}
let checked = 0
for (const file of scriptsUnder(out)) {
  checked++
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' })
  if (result.status !== 0) {
    failures.push(`${relative(root, file)} does not parse (node --check):\n${(result.stderr || result.error?.message || '').trim()}`)
  }
}

if (failures.length > 0) {
  console.error(`check-built: ${failures.length} problem(s) in the build output:\n`)
  for (const failure of failures) console.error(`- ${failure}\n`)
  process.exit(1)
}
console.log(`check-built: ${checked} scripts under out/ parse, entry points present.`)
