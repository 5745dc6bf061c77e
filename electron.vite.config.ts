import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { build, type Plugin } from 'vite'

const root = import.meta.dirname

/**
 * The `mcp-tray` command is built alongside the Electron parts, self-contained (dependencies
 * included, nothing loaded from node_modules at run time): `out/cli/index.js` plus the chunks
 * it imports on demand, so that a proxy launched by a client parses its own code and not that of
 * every other command.
 */
function cliBundle(): Plugin {
  return {
    name: 'mcp-tray:cli-bundle',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        root,
        resolve: { conditions: ['node'] },
        ssr: { noExternal: true, target: 'node' },
        build: {
          ssr: resolve(root, 'src/cli/index.ts'),
          outDir: resolve(root, 'out/cli'),
          emptyOutDir: true,
          target: 'node20',
          minify: false,
          sourcemap: false,
          rollupOptions: {
            external: [/^node:/, 'electron'],
            output: { format: 'es', entryFileNames: 'index.js', chunkFileNames: 'chunks/[name]-[hash].js' },
          },
        },
      })
    },
  }
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(root, 'src/main/index.ts') } },
    },
    plugins: [cliBundle()],
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        // Sandboxed preload scripts cannot be ES modules: emit CommonJS, named .cjs because
        // package.json says "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    build: {
      // Minified: the page is parsed each time the dashboard opens, and 940 kB of script become 400 kB.
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
})
