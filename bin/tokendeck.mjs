#!/usr/bin/env node
// Launcher for the `tokendeck` CLI. Runs the built CLI (out/cli/tokendeck.mjs, made by
// `npm run build` and by `npm test`) when there is one: plain JavaScript, no compile step per
// call. In a checkout that was never built it falls back to the TypeScript source through tsx,
// in this very process, so stdin/stdout/the terminal stay the user's own.
import { existsSync } from 'node:fs'

const built = new URL('../out/cli/tokendeck.mjs', import.meta.url)
if (existsSync(built)) {
  await import(built.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import(new URL('../src/main/cli/tokendeck.ts', import.meta.url).href)
}
