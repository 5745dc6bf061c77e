import { version } from '../../package.json'

/** The version of MCP Tray, as package.json states it. */
export const appVersion: string = version
