import { describe, expect, it } from 'vitest'
import { timeoutError } from '../../../src/core/proxy/upstream-errors'
import { TrayError } from '../../../src/shared/tray-error'

describe('the words of a timeout', () => {
  const request = { server: 'fixture', method: 'tools/call', elapsedMs: 2000 }

  it('names the failure to connect that kept a request from being sent, not a busy pool', () => {
    const refused = new TrayError('upstream_not_sent', 'Could not connect to 127.0.0.1:4000: the connection was refused (tried 5 times).', { hint: 'Is the server running?' })
    const error = timeoutError(request, 2000, undefined, true, refused)
    expect(error.message).toBe('MCP Tray could not send tools/call to fixture within 2.0 s. Could not connect to 127.0.0.1:4000: the connection was refused (tried 5 times). Is the server running?')
    expect(error.data).toMatchObject({ code: 'upstream_not_sent' })
  })

  it('says the request waited for a connection when nothing failed', () => {
    expect(timeoutError(request, 2000, undefined, true).message).toContain('no connection to it became free or could be opened')
  })
})
