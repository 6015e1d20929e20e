/**
 * Which Node.js runs what, decided from the packages' `engines` (a version is passed in, so
 * every case runs on whatever Node runs the tests), and the project telling the same story in
 * package.json `engines` and in the README's first screen.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeCheckHere } from '../../scripts/lib/electronDownload'
import {
  checkNode,
  nodeAppNoteText,
  nodeTooOldText,
  satisfiesRange,
  type NodeRanges,
} from '../../scripts/lib/nodeVersion'
import { REPO_ROOT } from '../sim/cli/child'

const json = (p: string) =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, p), 'utf8')) as {
    engines?: { node?: string }
  }
const PROJECT = json('package.json').engines?.node ?? ''
const ELECTRON = json('node_modules/electron/package.json').engines?.node ?? ''

const ranges: NodeRanges = {
  app: { range: '>= 22.12.0', source: 'node_modules/electron/package.json' },
  project: { range: '^20.19.0 || >=22.12.0', source: 'package.json engines' },
}

describe('satisfiesRange (the engines syntax npm packages use)', () => {
  it.each([
    ['20.20.2', '^20.19.0 || >=22.12.0', true],
    ['20.19.0', '^20.19.0 || >=22.12.0', true],
    ['20.18.1', '^20.19.0 || >=22.12.0', false],
    ['21.7.3', '^20.19.0 || >=22.12.0', false],
    ['22.11.0', '^20.19.0 || >=22.12.0', false],
    ['22.12.0', '^20.19.0 || >=22.12.0', true],
    ['24.3.0', '^20.19.0 || >=22.12.0', true],
    ['20.20.2', '>= 22.12.0', false],
    ['22.12.0', '>= 22.12.0', true],
    ['v23.0.0', '>=22.12.0', true],
    ['22.13.0', '^20.19.0 || ^22.13.0 || >=24', true],
    ['23.1.0', '^20.19.0 || ^22.13.0 || >=24', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['18.0.0', '>=14 <19', true],
    ['20.1.0', '20.x', true],
    ['20.1.0', 'some day', true], // unreadable: not a reason to refuse
  ])('%s satisfies %s: %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected)
  })
})

describe('checkNode', () => {
  it('22.12+ runs everything; 20.19+ all but Electrons tooling; older nothing', () => {
    expect(checkNode('22.12.0', ranges).kind).toBe('ok')
    expect(checkNode('24.0.0', ranges).kind).toBe('ok')
    expect(checkNode('20.20.2', ranges).kind).toBe('app-unsupported')
    expect(checkNode('20.18.0', ranges).kind).toBe('too-old')
    expect(checkNode('22.11.0', ranges).kind).toBe('too-old')
  })

  it('says what each part needs and where that comes from', () => {
    const old = checkNode('18.20.4', ranges)
    if (old.kind !== 'too-old') throw new Error(old.kind)
    expect(nodeTooOldText(old)).toBe(
      [
        'Node.js 18.20.4 is too old for Tokendeck.',
        "  The app (Electron's tooling) needs Node >= 22.12.0 (node_modules/electron/package.json).",
        '  The core, the tokendeck CLI, the simulators and the tests need Node ^20.19.0 || >=22.12.0 (package.json engines).',
        'Install a Node.js that satisfies >= 22.12.0 (for example the current LTS: `nvm install --lts`), then run `npm ci` again.',
      ].join('\n'),
    )
    const twenty = checkNode('20.20.2', ranges)
    if (twenty.kind !== 'app-unsupported') throw new Error(twenty.kind)
    expect(nodeAppNoteText(twenty)).toBe(
      "Note: Electron's tooling declares Node >= 22.12.0 (node_modules/electron/package.json); this is " +
        'Node 20.20.2, which runs the core, the CLI and the tests (^20.19.0 || >=22.12.0). Trying the download anyway.',
    )
  })

  it('reads the real ranges: the Node running these tests is one the project supports', () => {
    expect(nodeCheckHere().kind).not.toBe('too-old')
    expect(nodeCheckHere(undefined, '18.0.0').kind).toBe('too-old')
  })
})

describe('package.json engines tell the truth, and the README agrees', () => {
  it('engines.node is what the tools `npm ci && npm test` run declare, no wider', () => {
    const tools = ['vite', 'electron-vite', '@vitejs/plugin-react', 'rolldown', 'vitest', 'tsx']
    for (const version of ['20.19.0', '22.12.0', '24.0.0']) {
      expect(satisfiesRange(version, PROJECT)).toBe(true)
      for (const tool of tools) {
        const range = json(`node_modules/${tool}/package.json`).engines?.node ?? '*'
        expect(satisfiesRange(version, range), `${tool} (${range}) on ${version}`).toBe(true)
      }
    }
    // Just outside: vite's own bounds.
    for (const version of ['20.18.3', '21.7.3', '22.11.0'])
      expect(satisfiesRange(version, PROJECT)).toBe(false)
  })

  it("the README's first screen names both ranges", () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
    const firstScreen = readme.slice(0, readme.indexOf('## Simulated clusters and the demo'))
    expect(firstScreen).toContain(`\`${PROJECT}\``)
    const minimum = /(\d+\.\d+)\.\d+/.exec(ELECTRON)?.[1]
    expect(firstScreen).toContain(`Node.js ${minimum}`)
    expect(firstScreen).not.toMatch(/Node\.js 20\.19 or newer/)
  })
})
