#!/usr/bin/env node
import { mkdirSync } from 'node:fs'
import * as nodeModule from 'node:module'
import { join } from 'node:path'
import { resolveDataDir } from '../core/data/data-dir'

// A client starts one proxy per connection, each a fresh process. Node 22.1 and later (Electron's
// Node among them) can keep the compiled code of the modules below between runs; older Node has no
// such cache and goes without. The data dir is created 0700 first, as everywhere else. The cache
// only saves time: a data dir that cannot be made is for the command to report, not this.
if (nodeModule.enableCompileCache) {
  try {
    const dataDir = resolveDataDir()
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    nodeModule.enableCompileCache(join(dataDir, 'compile-cache'))
  } catch {
    // Run without the cache.
  }
}
const { runCli } = await import('./run-cli')
process.exitCode = await runCli(process.argv)
