/**
 * The house's import rules (eslint.house-rules.js) fire where they should and stay quiet where
 * an import is allowed. Linted as in-memory files at the paths they would have.
 */
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { houseRules } from '../../eslint.house-rules.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
    ...houseRules,
  ],
})

async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message)
}

const cases: Array<[code: string, file: string, allowed: boolean]> = [
  ["import { app } from 'electron'", 'src/main/core/sessions/engine.ts', false],
  ["import { app } from 'electron'", 'src/shared/model.ts', false],
  ["import { app } from 'electron'", 'src/renderer/src/App.tsx', false],
  ["import { app } from 'electron'", 'src/main/electron/tray.ts', true],
  ["import { app } from 'electron'", 'src/main/index.ts', true],
  ["import { contextBridge } from 'electron'", 'src/preload/index.ts', true],
  ["import { readFile } from 'node:fs/promises'", 'src/renderer/src/api.ts', false],
  ["import fs from 'fs'", 'src/shared/contract.ts', false],
  ["import { join } from 'path'", 'src/renderer/src/views/List.tsx', false],
  ["import { readFile } from 'node:fs/promises'", 'src/main/core/clusters/registry.ts', true],
  ["import { useState } from 'react'", 'src/main/core/handlers.ts', false],
  ["import { createRoot } from 'react-dom/client'", 'src/main/core/handlers.ts', false],
  ["import { useState } from 'react'", 'src/main/electron/window.ts', false],
  ["import { render } from 'react-dom'", 'src/main/cli/tokendeck.ts', false],
  ["import { app } from 'electron'", 'src/main/cli/tokendeck.ts', false],
  ["import { useState } from 'react'", 'src/renderer/src/App.tsx', true],
  ["import keytar from 'keytar'", 'src/main/core/http/clusterHttp.ts', false],
  ["import keytar from 'keytar'", 'src/main/electron/ipc.ts', false],
  ["import keytar from 'keytar'", 'src/main/core/secrets/keytarStore.ts', true],
]

describe('house import rules', () => {
  it.each(cases)('%s in %s → allowed: %s', async (code, file, allowed) => {
    const messages = await restricted(code, file)
    if (allowed) expect(messages).toEqual([])
    else expect(messages.length).toBeGreaterThan(0)
  })

  it('refuses shell.openExternal anywhere in src', async () => {
    const [result] = await eslint.lintText(
      "import { shell } from 'electron'\nvoid shell.openExternal(url)",
      {
        filePath: `${root}/src/main/electron/tray.ts`,
      },
    )
    expect(result!.messages.map((m) => m.ruleId)).toContain('no-restricted-properties')
  })

  it('explains why an import is refused', async () => {
    const [message] = await restricted("import { app } from 'electron'", 'src/main/core/x.ts')
    expect(message).toMatch(/core must run without it/)
  })
})
