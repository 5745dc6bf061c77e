import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { hubAddressFor } from '../src/core/hub/hub-address'
import { connectToHub, type HubConnection } from '../src/core/hub/hub-client'
import type { LogEvent } from '../src/shared/log-model'
import { percentile } from './stats'

const cliScript = join(import.meta.dirname, '..', 'out', 'cli', 'index.js')
const chromiumPath = '/usr/bin/chromium'
const batchEvents = 1000

/** The dashboard's figures: the hub taking in log events with a page subscribed, and the Live log scrolled. */
export interface DashboardFigures {
  readonly events: number
  /** Events per second into a hub with no page open (the baseline), from the first batch sent to the last taken. */
  readonly ingestAlonePerSecond: number
  /** Events per second with the dashboard open on the Live log, until the page's stream had the last one. */
  readonly ingestSubscribedPerSecond: number
  /** Events the page's stream delivered (all of them, or some were dropped). */
  readonly delivered: number
  /** Frame times while the Live log, holding every event, is scrolled end to end. */
  readonly scrollFrameP50Ms: number
  readonly scrollFrameP95Ms: number
  /** The same page's frame times doing nothing: what the display's own frame rate gives. */
  readonly idleFrameP95Ms: number
  /**
   * The baseline for scrolling: a plain page of 40 absolutely placed rows moved by hand, scrolled
   * the same way. Headless Chromium paints in software, so even this drops frames on a busy machine.
   */
  readonly plainListFrameP95Ms: number
}

interface Hub {
  readonly home: string
  readonly url: string
  stop(): Promise<void>
}

/** Runs the built `mcp-tray serve` with its own data folder, until it prints the dashboard's address. */
async function startServe(): Promise<Hub> {
  const root = await mkdtemp(join(tmpdir(), 'mcp-tray-bench-dash-'))
  const home = join(root, 'home')
  const child: ChildProcess = spawn(process.execPath, [cliScript, 'serve', '--dashboard-port', '0'], {
    env: { ...process.env, MCP_TRAY_HOME: home, BROWSER: 'true' },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    await rm(root, { recursive: true, force: true })
  }
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`serve printed no dashboard address: ${output}`)), 15_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const found = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output)?.[1]
      if (found) {
        clearTimeout(timer)
        resolve(found)
      }
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)))
  }).catch(async (error: unknown) => {
    await stop()
    throw error
  })
  return { home, url, stop }
}

/** The `n`th event of a stream of tools/call exchanges as a proxy reports them: a request, then its answer. */
function exchangeEvent(n: number, start: number): LogEvent {
  const i = n >> 1
  const time = new Date(start + i).toISOString()
  const tool = i % 3 === 0 ? 'search' : 'echo'
  const common = { time, server: 'bench', session: 's-1', method: 'tools/call', tool, id: i } as const
  return n % 2 === 0
    ? { ...common, direction: 'to-server', kind: 'request', bytes: 120, outcome: 'sent', preview: `{"jsonrpc":"2.0","id":${i},"method":"tools/call","params":{"name":"${tool}"}}` }
    : { ...common, direction: 'to-client', kind: 'response', bytes: 240, latencyMs: 5 + (i % 50), outcome: i % 40 === 0 ? 'tool-error' : 'ok' }
}

/** Sends `events` log events in batches, as a proxy's log sink does; resolves when the hub took the last batch. */
async function send(connection: HubConnection, events: number): Promise<void> {
  const start = Date.now() - 3_600_000
  for (let sent = 0; sent < events; sent += batchEvents) {
    const batch = Array.from({ length: Math.min(batchEvents, events - sent) }, (_, i) => exchangeEvent(sent + i, start))
    await connection.call('logs', { server: 'bench', events: batch })
  }
}

/** In the page: a second subscriber to the hub's event stream, counting the log events it is given (source text, as below). */
async function countDelivered(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.delivered = 0
    const token = sessionStorage.getItem('mcp-tray.dashboard-token')
    fetch('/api/events', { headers: { authorization: 'Bearer ' + token } }).then(async (response) => {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let pending = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        pending += value
        const blocks = pending.split('\\n\\n')
        pending = blocks.pop() ?? ''
        for (const block of blocks) {
          const data = block.split('\\n').find((line) => line.startsWith('data:'))
          if (!data) continue
          const event = JSON.parse(data.slice(5))
          if (event.type === 'logs') window.delivered += event.events.length
        }
      }
    })
  })()`)
}

/**
 * Frame intervals over at most `frames` animation frames while `scroller` is scrolled a step each
 * frame (or left alone), running `afterStep` after each step. Passed as source text: the bench runs
 * through tsx, whose transform would add helpers the page does not have.
 */
function frameTimes(page: Page, options: { scroller: string; scroll: boolean; frames: number; afterStep?: string }): Promise<number[]> {
  const { scroller, scroll, frames, afterStep = '' } = options
  return page.evaluate(`(async () => {
    const body = document.querySelector('${scroller}')
    body.scrollTop = 0
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    const step = Math.ceil(body.scrollHeight / ${frames})
    const times = []
    let last
    return new Promise((resolve) => {
      function frame(now) {
        if (last !== undefined) times.push(now - last)
        last = now
        if (times.length >= ${frames} || (${scroll} && body.scrollTop + body.clientHeight >= body.scrollHeight - 1)) return resolve(times)
        if (${scroll}) { body.scrollTop += step; ${afterStep} }
        requestAnimationFrame(frame)
      }
      requestAnimationFrame(frame)
    })
  })()`)
}

/** The scrolling baseline: a plain list with the Live log's geometry, its rows moved and rewritten by hand each frame. */
async function plainListFrameTimes(page: Page, frames: number): Promise<number[]> {
  const row = `<div style="position:absolute;left:0;right:0;height:28px;display:grid;grid-template-columns:repeat(9,1fr)">${'<div>14:03:22.118</div>'.repeat(9)}</div>`
  await page.setContent(`<div class="plain" style="height:600px;width:900px;overflow:auto"><div style="position:relative;height:2800000px">${row.repeat(40)}</div></div>`)
  const moveRows = `const first = Math.floor(body.scrollTop / 28); [...body.firstChild.children].forEach((r, i) => { r.style.transform = 'translateY(' + (first + i) * 28 + 'px)'; r.firstChild.textContent = String(first + i) })`
  return frameTimes(page, { scroller: '.plain', scroll: true, frames, afterStep: moveRows })
}

/**
 * The dashboard under load, against the built `serve` and Debian's Chromium: the same events sent to
 * a hub alone (the baseline) and to one whose Live log is open; then that Live log, holding every
 * event, scrolled end to end. `undefined` where no Chromium is installed.
 */
export async function measureDashboard(events: number, progress: (line: string) => void): Promise<DashboardFigures | undefined> {
  if (!existsSync(chromiumPath)) {
    progress(`dashboard: skipped, no Chromium at ${chromiumPath}`)
    return undefined
  }
  progress(`dashboard: ${events.toLocaleString('en-US')} log events into a hub alone`)
  const alone = await startServe()
  let ingestAlonePerSecond: number
  try {
    const connection = await connectToHub(hubAddressFor(alone.home), 'proxy')
    const began = performance.now()
    await send(connection, events)
    ingestAlonePerSecond = events / ((performance.now() - began) / 1000)
    connection.close()
  } finally {
    await alone.stop()
  }

  progress('dashboard: the same into a hub with the Live log open in Chromium')
  const hub = await startServe()
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(hub.url)
    await page.goto(`${new URL(hub.url).origin}/#/log`)
    await page.getByText('No messages yet').waitFor({ timeout: 20_000 })
    await countDelivered(page)
    const connection = await connectToHub(hubAddressFor(hub.home), 'proxy')
    const began = performance.now()
    await send(connection, events)
    const deadline = Date.now() + 60_000
    let delivered = 0
    while (Date.now() < deadline) {
      delivered = (await page.evaluate('window.delivered')) as number
      if (delivered >= events) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const ingestSubscribedPerSecond = delivered / ((performance.now() - began) / 1000)
    connection.close()

    progress('dashboard: scrolling the Live log end to end')
    await page.waitForTimeout(500)
    // 300 frames end to end (five seconds at 60 Hz), fewer for a small log: at most 100 rows a step.
    const frames = Math.min(300, Math.ceil(events / 100))
    const idle = await frameTimes(page, { scroller: '.log-body', scroll: false, frames: Math.ceil(frames / 2) })
    const scrolled = await frameTimes(page, { scroller: '.log-body', scroll: true, frames })
    const plain = await plainListFrameTimes(await browser.newPage({ viewport: { width: 1280, height: 800 } }), frames)
    return {
      events,
      ingestAlonePerSecond,
      ingestSubscribedPerSecond,
      delivered,
      scrollFrameP50Ms: percentile(scrolled, 50),
      scrollFrameP95Ms: percentile(scrolled, 95),
      idleFrameP95Ms: percentile(idle, 95),
      plainListFrameP95Ms: percentile(plain, 95),
    }
  } finally {
    await browser.close()
    await hub.stop()
  }
}
