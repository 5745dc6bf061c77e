// Run as its own process by the concurrency test: installs one entry through the real code.
import { ClientConfigs } from '../../../../src/core/clients/client-configs'
import { testLaunch } from './temp-files'

const [dataDir, name] = process.argv.slice(2)
if (!dataDir || !name) throw new Error('usage: install-entry <data dir> <name>')
await new ClientConfigs({ dataDir, launch: testLaunch }).install('claude-desktop', name)
