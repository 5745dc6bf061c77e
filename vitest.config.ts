import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest runs one file at a time on 2 cores by default (cores − 1); most files wait on sockets
    // and child processes, so two at a time halve the suite (7.9 → 4.5 min here).
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    server: { deps: { inline: ['electron-store'] } },
    alias: { electron: new URL('./test/mocks/electron.ts', import.meta.url).pathname },
  },
})
