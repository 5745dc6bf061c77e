import { fileURLToPath, pathToFileURL } from 'node:url'

/** Where the dashboard's pages come from, and how to recognise them again. */
export interface RendererLocation {
  /** The URL the dashboard window loads. */
  readonly url: string
  /** A development server, whose tooling needs inline scripts: no Content Security Policy header is added to it. */
  readonly development: boolean
  /** Whether `url` (a frame's URL, a navigation target) is one of our own pages. */
  isOwnUrl(url: string): boolean
}

export interface RendererSource {
  /** `ELECTRON_RENDERER_URL`, set by `electron-vite dev` to its dev server. */
  readonly devServerUrl: string | undefined
  /** Whether the app runs packaged: a packaged app never loads a dev server. */
  readonly isPackaged: boolean
  /** The built `index.html` of the renderer, as a file path. */
  readonly builtIndexFile: string
}

/**
 * The dev server while developing (same origin counts as ours), else the built `index.html`
 * (only that very file counts as ours, whatever its query or hash).
 */
export function locateRenderer(source: RendererSource): RendererLocation {
  if (source.devServerUrl && !source.isPackaged) {
    const origin = new URL(source.devServerUrl).origin
    return { url: source.devServerUrl, development: true, isOwnUrl: (url) => parseUrl(url)?.origin === origin }
  }
  const index = pathToFileURL(source.builtIndexFile)
  return {
    url: index.href,
    development: false,
    isOwnUrl: (url) => {
      const parsed = parseUrl(url)
      return parsed?.protocol === 'file:' && fileURLToPath(parsed) === fileURLToPath(index)
    },
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}
