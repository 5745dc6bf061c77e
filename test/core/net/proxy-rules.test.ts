import { describe, expect, it } from 'vitest'
import { parseNoProxy, proxyRulesFrom } from '../../../src/core/net/proxy-rules'

const url = (text: string): URL => new URL(text)

describe('proxy rules (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)', () => {
  it('uses https_proxy for https URLs and http_proxy for http ones, lower case first, all_proxy for either', () => {
    const rules = proxyRulesFrom({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'proxy.corp:3128' })
    expect(rules.proxyFor(url('https://mcp.example.com/mcp'))?.href).toBe('http://lower:2/')
    // No scheme means http://, as curl reads it.
    expect(rules.proxyFor(url('http://mcp.example.com/mcp'))?.href).toBe('http://proxy.corp:3128/')
    expect(proxyRulesFrom({ ALL_PROXY: 'http://all:8080' }).proxyFor(url('https://a.example/'))?.host).toBe('all:8080')
    expect(proxyRulesFrom({}).proxyFor(url('https://a.example/'))).toBeUndefined()
    expect(proxyRulesFrom({ HTTPS_PROXY: '  ' }).proxyFor(url('https://a.example/'))).toBeUndefined()
  })

  it('reads NO_PROXY as curl and Go do: domains with their subdomains, ports, IP addresses, CIDR blocks, *', () => {
    const bypass = parseNoProxy('example.com, .corp.internal  *.svc:8443,10.0.0.0/8 ::1 [fd00::1]:9000,192.168.1.5')
    expect(bypass.covers(url('https://example.com/'))).toBe(true)
    expect(bypass.covers(url('https://api.example.com/'))).toBe(true)
    expect(bypass.covers(url('https://notexample.com/'))).toBe(false)
    expect(bypass.covers(url('https://a.corp.internal/'))).toBe(true)
    expect(bypass.covers(url('https://corp.internal/'))).toBe(true)
    expect(bypass.covers(url('https://x.svc:8443/'))).toBe(true)
    expect(bypass.covers(url('https://x.svc/'))).toBe(false)
    expect(bypass.covers(url('http://10.20.30.40/'))).toBe(true)
    expect(bypass.covers(url('http://11.0.0.1/'))).toBe(false)
    expect(bypass.covers(url('http://[::1]:3000/'))).toBe(true)
    expect(bypass.covers(url('http://[fd00::1]:9000/'))).toBe(true)
    expect(bypass.covers(url('http://[fd00::1]:9001/'))).toBe(false)
    expect(bypass.covers(url('http://192.168.1.5:8080/'))).toBe(true)
    expect(bypass.covers(url('https://EXAMPLE.COM./'))).toBe(true)
    expect(parseNoProxy('*').covers(url('https://anything.example/'))).toBe(true)
    expect(parseNoProxy('').covers(url('https://anything.example/'))).toBe(false)
  })

  it('sends loopback through an environment proxy unless NO_PROXY says otherwise, as curl does', () => {
    const rules = proxyRulesFrom({ HTTPS_PROXY: 'http://proxy:1' })
    expect(rules.proxyFor(url('https://localhost:3000/'))).toBeDefined()
    expect(proxyRulesFrom({ HTTPS_PROXY: 'http://proxy:1', no_proxy: 'localhost' }).proxyFor(url('https://localhost:3000/'))).toBeUndefined()
  })

  it('uses the app’s proxy setting only when the environment names no proxy, and never for loopback unless NO_PROXY is set', () => {
    const fromSettings = proxyRulesFrom({}, 'http://settings-proxy:8080')
    expect(fromSettings.proxyFor(url('https://mcp.example.com/'))?.host).toBe('settings-proxy:8080')
    expect(fromSettings.proxyFor(url('http://mcp.example.com/'))?.host).toBe('settings-proxy:8080')
    expect(fromSettings.proxyFor(url('http://127.0.0.1:8080/'))).toBeUndefined()
    expect(fromSettings.proxyFor(url('http://localhost:8080/'))).toBeUndefined()
    expect(fromSettings.proxyFor(url('http://[::1]:8080/'))).toBeUndefined()
    expect(fromSettings.describe()).toContain('MCP Tray’s proxy setting')

    const envWins = proxyRulesFrom({ HTTPS_PROXY: 'http://env-proxy:1' }, 'http://settings-proxy:8080')
    expect(envWins.proxyFor(url('https://mcp.example.com/'))?.host).toBe('env-proxy:1')
    // The environment chose: http URLs go directly, the setting does not fill in.
    expect(envWins.proxyFor(url('http://mcp.example.com/'))).toBeUndefined()

    const withNoProxy = proxyRulesFrom({ NO_PROXY: '.example.com' }, 'http://settings-proxy:8080')
    expect(withNoProxy.proxyFor(url('https://mcp.example.com/'))).toBeUndefined()
    expect(withNoProxy.proxyFor(url('http://localhost:1/'))?.host).toBe('settings-proxy:8080')
  })

  it('ignores SOCKS and unparsable proxies with a problem in words, and masks passwords when describing', () => {
    const socks = proxyRulesFrom({ HTTPS_PROXY: 'socks5://user:secret@proxy:1080' })
    expect(socks.proxyFor(url('https://a.example/'))).toBeUndefined()
    expect(socks.problems.join(' ')).toMatch(/a socks5 proxy, which MCP Tray does not support/)
    expect(socks.problems.join(' ')).not.toContain('secret')
    const pac = proxyRulesFrom({}, 'http://wpad.corp/proxy.pac')
    expect(pac.proxyFor(url('https://a.example/'))).toBeUndefined()
    expect(pac.problems).toEqual([expect.stringContaining('is an automatic configuration (PAC) file, which MCP Tray does not read')])
    const broken = proxyRulesFrom({ HTTPS_PROXY: 'http://user:secret@[bad' })
    expect(broken.problems[0]).toMatch(/is not a URL/)
    expect(broken.problems[0]).not.toContain('secret')
    const described = proxyRulesFrom({ HTTPS_PROXY: 'http://user:secret@proxy:3128', NO_PROXY: 'localhost' }).describe()
    expect(described).toContain('http://user:****@proxy:3128')
    expect(described).toContain('except to localhost')
    expect(described).not.toContain('secret')
  })
})
