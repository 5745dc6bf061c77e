import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hubAddressFor } from '../../src/core/hub/hub-address'
import { connectToHub } from '../../src/core/hub/hub-client'
import type { LogEvent } from '../../src/shared/log-model'
import { launchChromium } from '../fixtures/remote-server/sign-in-chromium'
import { startHeadlessDashboard, type HeadlessDashboard } from '../renderer/support/headless-dashboard'

const total = 100_000
const batchSize = 1000

/** One exchange as a proxy reports it: the request, then its answer (every 40th a tool error). */
function exchange(i: number, start: number): LogEvent[] {
  const time = new Date(start + i).toISOString()
  const tool = i % 3 === 0 ? 'search' : 'echo'
  return [
    { time, server: 'bulk', session: 's-1', direction: 'to-server', kind: 'request', method: 'tools/call', tool, id: i, bytes: 120, outcome: 'sent', preview: `{"jsonrpc":"2.0","id":${i},"method":"tools/call","params":{"name":"${tool}"}}` },
    { time, server: 'bulk', session: 's-1', direction: 'to-client', kind: 'response', method: 'tools/call', tool, id: i, bytes: 240, latencyMs: 5 + (i % 50), outcome: i % 40 === 0 ? 'tool-error' : 'ok' },
  ]
}

/**
 * The Live log at the size the issue asks for: 100,000 events pushed through a real hub as
 * proxies send them, shown live in Chromium, scrolled end to end (frame times measured), and a
 * paused view that keeps its place while rows keep coming and the oldest are dropped.
 */
describe('the Live log with 100,000 events', () => {
  let root: string
  let dashboard: HeadlessDashboard
  let browser: Browser
  let page: Page
  let sent = 0
  const start = Date.now() - 3_600_000

  async function send(connection: Awaited<ReturnType<typeof connectToHub>>, pairs: number): Promise<void> {
    for (let done = 0; done < pairs; done += batchSize / 2) {
      const events = Array.from({ length: batchSize / 2 }, (_, i) => exchange(sent + i, start)).flat()
      sent += batchSize / 2
      await connection.call('logs', { server: 'bulk', events })
    }
  }

  async function shownTotal(): Promise<number> {
    const subtitle = (await page.locator('.view-subtitle').first().textContent()) ?? ''
    return Number(/([\d,]+) messages/.exec(subtitle)?.[1]?.replaceAll(',', '') ?? 0)
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mcp-tray-log-scale-'))
    dashboard = await startHeadlessDashboard({ ...process.env, MCP_TRAY_HOME: join(root, 'home'), BROWSER: 'true' })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.setDefaultTimeout(20_000)
  })

  afterAll(async () => {
    await browser?.close()
    await dashboard?.stop()
    await rm(root, { recursive: true, force: true })
  })

  it('shows every event live, scrolls end to end smoothly, and keeps a paused view still', async () => {
    await page.goto(dashboard.url)
    await page.goto(`${dashboard.origin}/#/log`)
    await page.getByText('No messages yet').waitFor()
    const connection = await connectToHub(hubAddressFor(join(root, 'home')), 'proxy')
    try {
      const began = performance.now()
      await send(connection, total / 2)
      const ingestMs = performance.now() - began
      await expect.poll(shownTotal, { timeout: 30_000, interval: 250 }).toBe(total)
      const shownMs = performance.now() - began
      // Only the rows on screen exist in the page.
      expect(await page.locator('.log-body .log-row').count()).toBeLessThan(80)

      const frames = await page.evaluate(async () => {
        const { document, requestAnimationFrame, performance } = globalThis as unknown as { document: { querySelector(selector: string): { scrollTop: number; clientHeight: number; scrollHeight: number } }; requestAnimationFrame(callback: (now: number) => void): void; performance: { now(): number } }
        const body = document.querySelector('.log-body')
        body.scrollTop = 0
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
        const step = Math.ceil(body.scrollHeight / 150)
        const times: number[] = []
        let last = performance.now()
        return new Promise<number[]>((resolve) => {
          const frame = (now: number): void => {
            times.push(now - last)
            last = now
            if (body.scrollTop + body.clientHeight >= body.scrollHeight - 1) return resolve(times)
            body.scrollTop += step
            requestAnimationFrame(frame)
          }
          requestAnimationFrame(frame)
        })
      })
      const sorted = frames.slice(1).sort((a, b) => a - b)
      const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0
      console.log(`100,000 events: hub took them in ${Math.round(ingestMs)} ms (${Math.round(total / (ingestMs / 1000))} events/s), all shown after ${Math.round(shownMs)} ms; scrolled end to end in ${frames.length} frames, p95 frame ${p95.toFixed(1)} ms, median ${(sorted[sorted.length >> 1] ?? 0).toFixed(1)} ms`)
      // The figure to beat is a p95 of 16.7 ms (one frame at 60 Hz), measured quiet by the benchmark;
      // on a machine shared with other tests only a gross regression is failed here.
      expect(sorted[sorted.length >> 1]).toBeLessThan(100)

      // Paused in the middle: rows keep arriving and the oldest are dropped, the rows on screen stay put.
      await page.getByRole('button', { name: 'Following' }).click()
      await page.evaluate(() => {
        const { document } = globalThis as unknown as { document: { querySelector(selector: string): { scrollTop: number; scrollHeight: number } } }
        const body = document.querySelector('.log-body')
        body.scrollTop = Math.round(body.scrollHeight / 2)
      })
      const topRow = async (): Promise<string> =>
        page.evaluate(() => {
          const { document } = globalThis as unknown as { document: { querySelector(selector: string): { getBoundingClientRect(): { top: number } } | null; elementFromPoint(x: number, y: number): { closest(selector: string): { textContent: string | null } | null } | null } }
          const body = document.querySelector('.log-body')!.getBoundingClientRect()
          return document.elementFromPoint(600, body.top + 40)?.closest('.log-row')?.textContent ?? ''
        })
      await page.waitForTimeout(200)
      const before = await topRow()
      await send(connection, 2_500)
      await page.waitForTimeout(1_000)
      expect(await shownTotal()).toBe(total)
      expect(await page.getByRole('button', { name: 'Paused' }).getAttribute('aria-pressed')).toBe('false')
      expect(await topRow()).toBe(before)
    } finally {
      connection.close()
    }
  }, 60_000)
})
