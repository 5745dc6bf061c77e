import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { keepRelayingOnUnexpectedErrors, type ProcessEvents } from '../../../src/core/proxy/last-resort'

describe('keepRelayingOnUnexpectedErrors', () => {
  it('reports what nothing caught on one redacted line each, and stops reporting a flood', () => {
    const events = new EventEmitter()
    const diagnostics = new PassThrough()
    let written = ''
    diagnostics.on('data', (chunk: Buffer) => (written += chunk.toString()))
    keepRelayingOnUnexpectedErrors(events as unknown as ProcessEvents, diagnostics, 'mcp-tray proxy (demo)')
    events.emit('uncaughtException', new Error('boom with Authorization: Bearer abc.def.ghi'))
    events.emit('unhandledRejection', 'rejected\nacross lines')
    const lines = written.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^mcp-tray proxy \(demo\): unexpected error, relaying on: boom with /)
    expect(lines[0]).not.toContain('abc.def.ghi')
    expect(lines[1]).toBe('mcp-tray proxy (demo): unexpected unhandled rejection, relaying on: rejected across lines')
    for (let i = 0; i < 100; i += 1) events.emit('uncaughtException', new Error(`again ${i}`))
    expect(written.trimEnd().split('\n')).toHaveLength(21)
    expect(written).toContain('more unexpected errors follow; not shown.')
  })
})
