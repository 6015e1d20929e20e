// The rules of the house (docs/architecture.md) as lint: which code may import what.
// Kept in its own module so test/lint/house-rules.test.ts can prove each rule fires.
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules.flatMap((m) => [m, `node:${m}`]), 'node:*']

const electron = {
  name: 'electron',
  message:
    'Only src/main/electron/**, src/main/index.ts and src/preload/** may import electron: the core must run without it.',
}
const nodeInBrowser = (name) => ({
  name,
  message: 'Renderer and shared code run in a sandboxed page: no Node built-ins.',
})
const reactInMain = {
  group: ['react', 'react/*', 'react-dom', 'react-dom/*'],
  message: 'The main process never imports React.',
}
const keytar = {
  name: 'keytar',
  message: 'Only src/main/core/secrets/keytarStore.ts talks to keytar; use the SecretStore port.',
}

/** @type {import('eslint').Linter.Config[]} */
export const houseRules = [
  {
    // The core, the CLI and everything else in main but the Electron shell.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/index.ts', 'src/main/core/secrets/keytarStore.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electron, keytar], patterns: [reactInMain] }],
    },
  },
  {
    files: ['src/main/core/secrets/keytarStore.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electron], patterns: [reactInMain] }],
    },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/main/index.ts', 'src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [keytar], patterns: [reactInMain] }],
    },
  },
  {
    // Tokendeck opens no external URL: a link a cluster or a token description smuggles in
    // must never reach the OS browser.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'openExternal',
          message: 'Tokendeck opens no external URLs (Electron security checklist: openExternal).',
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electron,
            keytar,
            ...nodeBuiltins.filter((n) => n !== 'node:*').map(nodeInBrowser),
          ],
          patterns: [
            { group: ['node:*'], message: 'Renderer and shared code: no Node built-ins.' },
          ],
        },
      ],
    },
  },
]
