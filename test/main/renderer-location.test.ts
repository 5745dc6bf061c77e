import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { locateRenderer } from '../../src/main/renderer-location'

const builtIndexFile = join('/opt', 'MCP Tray', 'resources', 'app.asar', 'out', 'renderer', 'index.html')
const builtIndexUrl = pathToFileURL(builtIndexFile).href

describe('locateRenderer', () => {
  it('loads the built index.html and owns only that file', () => {
    const location = locateRenderer({ devServerUrl: undefined, isPackaged: true, builtIndexFile })
    expect(location.url).toBe(builtIndexUrl)
    expect(location.development).toBe(false)
    expect(location.isOwnUrl(builtIndexUrl)).toBe(true)
    expect(location.isOwnUrl(`${builtIndexUrl}#/servers`)).toBe(true)
    expect(location.isOwnUrl(pathToFileURL(join('/tmp', 'index.html')).href)).toBe(false)
    expect(location.isOwnUrl('https://example.com/')).toBe(false)
    expect(location.isOwnUrl('not a url')).toBe(false)
  })

  it('loads the dev server while developing and owns its origin', () => {
    const location = locateRenderer({ devServerUrl: 'http://localhost:5173/', isPackaged: false, builtIndexFile })
    expect(location.url).toBe('http://localhost:5173/')
    expect(location.development).toBe(true)
    expect(location.isOwnUrl('http://localhost:5173/index.html')).toBe(true)
    expect(location.isOwnUrl('http://localhost:5174/')).toBe(false)
    expect(location.isOwnUrl(builtIndexUrl)).toBe(false)
  })

  it('never loads a dev server in the packaged app', () => {
    const location = locateRenderer({ devServerUrl: 'http://localhost:5173/', isPackaged: true, builtIndexFile })
    expect(location.url).toBe(builtIndexUrl)
    expect(location.isOwnUrl('http://localhost:5173/')).toBe(false)
  })
})
