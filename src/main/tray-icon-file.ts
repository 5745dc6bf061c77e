import { join } from 'node:path'
import type { OverallState } from '../core/hub/overall-state'

/** What the tray icon says about the user's servers as a whole. */
export type TrayState = OverallState

/**
 * The icon file for a tray state, from resources/tray (see scripts/make-icons.mjs). macOS
 * gets the monochrome `…Template.png`, which it tints for light and dark menu bars; other
 * platforms get the colored one. Electron picks the `@2x` sibling on high-density screens.
 */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform, resourcesDir: string): string {
  return join(resourcesDir, 'tray', platform === 'darwin' ? `${state}Template.png` : `${state}.png`)
}
