// Builds the `tokendeck` command line into one ES module, out/cli/tokendeck.mjs, so a call pays
// for Node's start and our code, not for compiling TypeScript (tsx took 1–3 s per call, too slow
// for `$(tokendeck token …)` in a loop). Dependencies stay external: keytar is a native addon,
// and the others are resolved from node_modules as in development.
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
await build({
  absWorkingDir: root,
  entryPoints: ['src/main/cli/tokendeck.ts'],
  outfile: 'out/cli/tokendeck.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
})
