import { describe, expect, it } from 'vitest'
import { JsoncDocument } from '../../../src/core/clients/jsonc-document'
import { TrayError } from '../../../src/shared/tray-error'

const origin = { file: '/home/a/claude_desktop_config.json', label: "Claude Desktop's config file" }
const entry = { command: '/opt/node', args: ['/opt/mcp tray/out/cli/index.js', 'proxy', 'linear'], env: { MCP_TRAY_HOME: '/home/a/.mcp-tray' } }

const claudeFile = `{
  // written by hand
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/a/Desktop"] /* mine */
    }
  },
  "preferences": {"quickEntryShortcut": "off", "menuBarEnabled": false},
  "unknownFutureKey": [1, 2, {"x": null}]
}
`

function parse(text: string): JsoncDocument {
  return JsoncDocument.parse(text, origin)
}

describe('JsoncDocument', () => {
  it('adds an entry and keeps comments, formatting, key order and other keys byte for byte', () => {
    const added = parse(claudeFile).withServer('mcpServers', 'linear', entry)
    const inserted = [
      ',',
      '    "linear": {',
      '      "command": "/opt/node",',
      '      "args": [',
      '        "/opt/mcp tray/out/cli/index.js",',
      '        "proxy",',
      '        "linear"',
      '      ],',
      '      "env": {',
      '        "MCP_TRAY_HOME": "/home/a/.mcp-tray"',
      '      }',
      '    }',
    ].join('\n')
    expect(added.text).toBe(claudeFile.replace('/* mine */\n    }\n', `/* mine */\n    }${inserted}\n`))
    expect([...added.servers('mcpServers').keys()]).toEqual(['filesystem', 'linear'])
    expect(added.servers('mcpServers').get('linear')).toEqual(entry)
  })

  it('round-trips: removing what it added gives back the original text', () => {
    const back = parse(claudeFile).withServer('mcpServers', 'linear', entry).withoutServer('mcpServers', 'linear')
    expect(back.text).toBe(claudeFile)
  })

  it('round-trips tabs, CRLF line ends, a byte order mark and trailing comments', () => {
    const original = '\uFEFF{\r\n\t"mcpServers": {\r\n\t\t"a": {"command": "x"}, // keep a\r\n\t\t"b": {} // keep b\r\n\t},\r\n}\r\n'
    const added = parse(original).withServer('mcpServers', 'n', entry)
    expect(added.text).toContain('"b": {}, // keep b\r\n\t\t"n": {\r\n\t\t\t"command": "/opt/node",')
    expect(added.text.startsWith('\uFEFF')).toBe(true)
    expect(added.withoutServer('mcpServers', 'n').text).toBe(original)
  })

  it('keeps the comments around an entry it removes', () => {
    const text = '{\n  "mcpServers": {\n    "a": {"command": "x"}, // about a\n    // about b\n    "b": {"command": "y"}\n  }\n}\n'
    expect(parse(text).withoutServer('mcpServers', 'b').text).toBe(
      '{\n  "mcpServers": {\n    "a": {"command": "x"} // about a\n    // about b\n  }\n}\n',
    )
    expect(parse(text).withoutServer('mcpServers', 'a').text).toBe(
      '{\n  "mcpServers": {\n    // about a\n    // about b\n    "b": {"command": "y"}\n  }\n}\n',
    )
  })

  it('replaces an existing entry in place', () => {
    const text = '{\n  "mcpServers": {\n    "linear": {"command": "old"},\n    "z": {}\n  }\n}\n'
    const replaced = parse(text).withServer('mcpServers', 'linear', entry)
    expect([...replaced.servers('mcpServers').keys()]).toEqual(['linear', 'z'])
    expect(replaced.text).toContain('    "z": {}\n  }\n}\n')
  })

  it('replaces an entry of a one-line object on one line', () => {
    const text = '{"mcpServers": {"a": {"command": "npx"}, "b": 1}}'
    expect(parse(text).withServer('mcpServers', 'a', { command: 'y' }).text).toBe('{"mcpServers": {"a": {"command":"y"}, "b": 1}}')
  })

  it('writes a fresh document for an empty or missing file, and adds the servers key when absent', () => {
    expect(JSON.parse(parse('').withServer('mcpServers', 'n', entry).text)).toEqual({ mcpServers: { n: entry } })
    expect(JSON.parse(parse('  \n').withServer('servers', 'n', entry).text)).toEqual({ servers: { n: entry } })
    const prefsOnly = '{\n  "preferences": {"a": 1}\n}\n'
    const added = parse(prefsOnly).withServer('mcpServers', 'n', entry).text
    expect(added.startsWith('{\n  "preferences": {"a": 1},\n  "mcpServers": {\n    "n": {')).toBe(true)
  })

  it('keeps a one-line file on one line', () => {
    const text = '{"mcpServers": {"a": {"command": "x"}}}'
    const added = parse(text).withServer('mcpServers', 'n', { command: 'y' }).text
    expect(added).toBe('{"mcpServers": {"a": {"command": "x"}, "n": {"command":"y"}}}')
    expect(parse(added).withoutServer('mcpServers', 'n').text).toBe(text)
  })

  it('accepts trailing commas and keeps them', () => {
    const text = '{\n  "mcpServers": {\n    "a": 1,\n  },\n}\n'
    const added = parse(text).withServer('mcpServers', 'n', { command: 'y' }).text
    expect(parse(added).servers('mcpServers').get('n')).toEqual({ command: 'y' })
    expect(parse(added).withoutServer('mcpServers', 'n').text).toBe(text)
    expect(parse(text).withoutServer('mcpServers', 'a').text).toBe('{\n  "mcpServers": {},\n}\n')
  })

  it('names the line and column of a parse error and says nothing was changed', () => {
    const broken = '{\n  "mcpServers": {\n    "a": {"command": "x"}\n    "b": {}\n  }\n}\n'
    const error = (() => {
      try {
        parse(broken)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(TrayError)
    expect((error as TrayError).code).toBe('client_config_unparseable')
    expect((error as TrayError).message).toBe(
      `Claude Desktop's config file ${origin.file} is not valid JSON: a comma is expected at line 4, column 5. Nothing was changed.`,
    )
    expect((error as TrayError).hint).toMatch(/never writes a file it cannot read/)
  })

  it('refuses files whose top level or servers value is not an object', () => {
    expect(() => parse('[1, 2]')).toThrow(/top level is not a JSON object/)
    expect(() => parse('{"mcpServers": []}').withServer('mcpServers', 'n', entry)).toThrow(/"mcpServers" is not an object/)
  })
})
