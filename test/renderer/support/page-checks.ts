import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Page } from 'playwright-core'

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: readonly { readonly target: readonly string[]; readonly failureSummary?: string }[]
}

/**
 * axe-core's serious and critical findings on the page as it is now. The script goes in through
 * the DevTools protocol (page.evaluate), which the page's Content-Security-Policy does not cover.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    // Runs in the page; this file is typechecked without the DOM's types.
    const { axe, document } = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> }; document: unknown }
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })) }))
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
}

/** Where screenshots go: a folder git ignores. */
export const screenshotDir = join(import.meta.dirname, '..', '..', '..', 'test-results', 'dashboard')

/** Screenshots of the page in the light and the dark theme, as `<name>-light.png` and `<name>-dark.png`. */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.waitForTimeout(60)
    await page.screenshot({ path: join(screenshotDir, `${name}-${scheme}.png`) })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}
