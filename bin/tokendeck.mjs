#!/usr/bin/env node
// Launcher for the `tokendeck` CLI: registers tsx (resolved from this repository) in this very
// process and runs the TypeScript entry point, so stdin/stdout/the terminal are the user's own.
import { register } from 'tsx/esm/api'

register()
await import(new URL('../src/main/cli/tokendeck.ts', import.meta.url).href)
