import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY } from './src/shared/csp'

/**
 * The built page carries the strict CSP as a <meta> too, so it holds wherever the page is loaded
 * (the app protocol also sends it as a header). The dev server needs React's inline refresh
 * preamble and a websocket, so dev gets a looser policy limited to that server.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'tokendeck-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const policy = ctx.server
          ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws:; img-src 'self' data:"
          : CONTENT_SECURITY_POLICY
        return html.replace(
          '<!--csp-->',
          `<meta http-equiv="Content-Security-Policy" content="${policy}" />`,
        )
      },
    },
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require anything but 'electron': bundle the rest, emit CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
  },
})
