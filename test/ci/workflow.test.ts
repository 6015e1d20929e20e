/**
 * The GitHub Actions workflow (.github/workflows/ci.yml) cannot run on this machine, so this
 * suite checks it here, offline:
 *  - it is valid against the published workflow schema (SchemaStore's github-workflow.json,
 *    compiled into @action-validator/core's WebAssembly: nothing is fetched), and the validator
 *    demonstrably rejects broken copies, so "no errors" means something;
 *  - it says what the issue asks: Linux (under Xvfb), macOS and Windows; `npm ci` with the
 *    Electron binary; typecheck, lint and the whole suite with the Electron test required to run;
 *    `npm run dist` and its installers uploaded.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { validateWorkflow, type ValidationState } from '@action-validator/core'
import { describe, expect, it } from 'vitest'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const WORKFLOW = join(REPO_ROOT, '.github/workflows/ci.yml')
const source = readFileSync(WORKFLOW, 'utf8')

/** The validator's verdict as text, to read in a failure message and to search. */
const verdict = (state: ValidationState) => JSON.stringify(state.errors, null, 1)

/** A copy of the workflow with one edit; fails if the edit did not apply (the test would prove nothing). */
function edited(from: string | RegExp, to: string): string {
  const out = source.replace(from, to)
  expect(out, `the edit ${String(from)} applies to ci.yml`).not.toBe(source)
  return out
}

// ─── Reading the workflow ─────────────────────────────────────────────────────────────────────
// Just enough YAML for this file: block mappings and sequences, plain and quoted scalars, flow
// sequences of plain scalars, literal blocks (|). The validator (first test below) parses the real
// thing; this only gives the assertions a structure to walk instead of regexes, and throws on
// any line it cannot read rather than guess.

type Yaml = string | null | Yaml[] | { [key: string]: Yaml }
type YamlMap = { [key: string]: Yaml }

function parseYaml(text: string): Yaml {
  const lines = text.split(/\r?\n/)
  let i = 0
  const indentOf = (l: string) => l.length - l.trimStart().length
  const isSkippable = (l: string) => l.trim() === '' || l.trimStart().startsWith('#')
  const skip = () => {
    while (i < lines.length && isSkippable(lines[i]!)) i++
  }
  const scalar = (raw: string): Yaml => {
    const s = raw.trim()
    if (s.startsWith('[') && s.endsWith(']'))
      return s
        .slice(1, -1)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    if (s.length >= 2 && s.startsWith("'") && s.endsWith("'"))
      return s.slice(1, -1).replace(/''/g, "'")
    if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return JSON.parse(s) as string
    return s
  }
  const literal = (parentIndent: number): string => {
    const out: string[] = []
    let base: number | undefined
    while (i < lines.length && (lines[i]!.trim() === '' || indentOf(lines[i]!) > parentIndent)) {
      const l = lines[i++]!
      if (l.trim() === '') {
        out.push('')
        continue
      }
      base ??= indentOf(l)
      out.push(l.slice(base))
    }
    return `${out.join('\n').replace(/\n+$/, '')}\n`
  }
  const sequence = (indent: number): Yaml[] => {
    const items: Yaml[] = []
    for (skip(); i < lines.length; skip()) {
      const line = lines[i]!
      if (indentOf(line) !== indent || !line.trimStart().startsWith('- ')) break
      // "- key: value" opens a mapping whose keys line up two columns in.
      lines[i] = `${' '.repeat(indent + 2)}${line.trimStart().slice(2)}`
      items.push(
        /^[\w.-]+:(\s|$)/.test(lines[i]!.trim()) ? mapping(indent + 2) : scalar(lines[i++]!),
      )
    }
    return items
  }
  const mapping = (indent: number): YamlMap => {
    const map: YamlMap = {}
    for (skip(); i < lines.length; skip()) {
      const line = lines[i]!
      if (indentOf(line) !== indent || line.trimStart().startsWith('- ')) break
      const m = /^([\w.-]+):(?:\s+(.*))?$/.exec(line.trim())
      if (!m) throw new Error(`parseYaml: cannot read line ${i + 1}: ${line}`)
      i++
      const key = m[1]!
      const rest = m[2]?.trim() ?? ''
      if (rest === '|' || rest === '|-') map[key] = literal(indent)
      else if (rest !== '') map[key] = scalar(rest)
      else {
        skip()
        const next = lines[i]
        if (next === undefined) map[key] = null
        else if (indentOf(next) > indent) map[key] = node()
        else if (indentOf(next) === indent && next.trimStart().startsWith('- '))
          map[key] = sequence(indent)
        else map[key] = null
      }
    }
    return map
  }
  const node = (): Yaml => {
    skip()
    const line = lines[i]!
    return line.trimStart().startsWith('- ') ? sequence(indentOf(line)) : mapping(indentOf(line))
  }
  const doc = node()
  skip()
  if (i < lines.length) throw new Error(`parseYaml: stopped at line ${i + 1}: ${lines[i]}`)
  return doc
}

const asMap = (y: Yaml | undefined, what: string): YamlMap => {
  if (!y || typeof y !== 'object' || Array.isArray(y)) throw new Error(`${what} is not a mapping`)
  return y
}
const asList = (y: Yaml | undefined, what: string): Yaml[] => {
  if (!Array.isArray(y)) throw new Error(`${what} is not a list`)
  return y
}
const str = (y: Yaml | undefined): string => (typeof y === 'string' ? y : '')

interface Step {
  name: string
  uses: string
  run: string
  if: string
  env: YamlMap
  with: YamlMap
}

const workflow = asMap(parseYaml(source), 'the workflow')
const jobs = asMap(workflow['jobs'], 'jobs')
const jobNames = Object.keys(jobs)
const job = asMap(jobs[jobNames[0]!], `job ${jobNames[0]}`)
const steps: Step[] = asList(job['steps'], 'steps').map((s, n) => {
  const m = asMap(s, `step ${n + 1}`)
  return {
    name: str(m['name']),
    uses: str(m['uses']),
    run: str(m['run']),
    if: str(m['if']),
    env: m['env'] ? asMap(m['env'], `env of step ${n + 1}`) : {},
    with: m['with'] ? asMap(m['with'], `with of step ${n + 1}`) : {},
  }
})
/** The index of the one step that matches, failing when there is none or more than one. */
function stepIndex(what: string, match: (s: Step) => boolean): number {
  const found = steps.flatMap((s, n) => (match(s) ? [n] : []))
  expect(found.length, `exactly one step that ${what}`).toBe(1)
  return found[0]!
}

describe('the GitHub Actions workflow, checked against the workflow schema', () => {
  it('is valid', () => {
    const state = validateWorkflow(source)
    expect(state.actionType).toBe('workflow')
    expect(state.errors, verdict(state)).toEqual([])
  })

  it('the validator rejects a job without runs-on', () => {
    const state = validateWorkflow(edited(/^ {4}runs-on: .*\n/m, ''))
    expect(state.errors.length).toBeGreaterThan(0)
    expect(verdict(state)).toMatch(/runs-on/)
  })

  it('the validator rejects a step with a key GitHub does not know', () => {
    const state = validateWorkflow(
      edited('      - name: Check out\n', '      - name: Check out\n        bogus-key: true\n'),
    )
    expect(verdict(state)).toContain("Additional property 'bogus-key' is not allowed")
  })

  it('the validator rejects a value of the wrong kind and YAML that does not parse', () => {
    expect(
      verdict(validateWorkflow(edited('timeout-minutes: 60', 'timeout-minutes: soon'))),
    ).not.toBe('[]')
    const broken = validateWorkflow(edited('matrix:\n', 'matrix: [\n'))
    expect(broken.errors.map((e) => e.code)).toContain('parse_error')
  })
})

describe('the GitHub Actions workflow says what the issue asks', () => {
  it('runs on pushes to main and on pull requests', () => {
    const on = asMap(workflow['on'], 'on')
    expect(asList(asMap(on['push'], 'on.push')['branches'], 'branches')).toEqual(['main'])
    expect('pull_request' in on).toBe(true)
  })

  it('one job on Linux, macOS and Windows, every one run to the end', () => {
    expect(jobNames).toHaveLength(1)
    const strategy = asMap(job['strategy'], 'strategy')
    const os = asList(asMap(strategy['matrix'], 'matrix')['os'], 'matrix.os')
    expect([...os].sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest'])
    expect(job['runs-on']).toBe('${{ matrix.os }}')
    expect(strategy['fail-fast']).toBe('false')
    expect(source).not.toMatch(/continue-on-error/)
  })

  it('pins every action by major version (or by commit)', () => {
    const uses = steps.map((s) => s.uses).filter(Boolean)
    expect(uses.length).toBeGreaterThanOrEqual(4)
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/)
    expect(uses.some((u) => u.startsWith('actions/checkout@'))).toBe(true)
  })

  it('uses Node 22 (Electron 45’s tooling needs Node >= 22.12)', () => {
    const setup = steps[stepIndex('sets up Node', (s) => s.uses.startsWith('actions/setup-node@'))]!
    expect(String(setup.with['node-version'])).toBe('22')
  })

  it('installs what the private keychain and the Electron window need on Linux', () => {
    const apt = steps[stepIndex('installs system packages', (s) => /apt-get install/.test(s.run))]!
    expect(apt.if).toBe("runner.os == 'Linux'")
    for (const pkg of ['libsecret-1-dev', 'gnome-keyring', 'dbus-daemon', 'dbus', 'xvfb'])
      expect(apt.run.split(/\s+/)).toContain(pkg)
  })

  it('never skips the Electron binary: npm ci, then the binary fetched and found', () => {
    expect(source).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD')
    const ci = stepIndex('runs npm ci', (s) => /^npm ci\b/.test(s.run))
    const fetch = stepIndex('fetches the Electron binary', (s) =>
      s.run.includes('node node_modules/electron/install.js'),
    )
    expect(ci).toBeLessThan(fetch)
    expect(steps[fetch]!.run).toContain('findElectronBinary')
  })

  it('typechecks, lints, then runs the whole suite with the Electron test required', () => {
    const typecheck = stepIndex('typechecks', (s) => s.run.trim() === 'npm run typecheck')
    const lint = stepIndex('lints', (s) => s.run.trim() === 'npm run lint')
    const test = stepIndex('runs npm test', (s) => /\bnpm test\b/.test(s.run))
    const fetch = stepIndex('fetches the Electron binary', (s) => s.run.includes('install.js'))
    expect(fetch).toBeLessThan(test)
    expect(typecheck).toBeLessThan(test)
    expect(lint).toBeLessThan(test)
    const t = steps[test]!
    expect(t.if, 'the suite runs on every OS').toBe('')
    // The whole suite: `npm test` with no path arguments.
    for (const line of t.run.split('\n').filter((l) => l.includes('npm test')))
      expect(line.trim()).toMatch(/npm test$/)
    expect(t.run).toMatch(/xvfb-run .*npm test/)
    expect(t.env['TOKENDECK_REQUIRE_ELECTRON']).toBe('1')
    // …the variable the Electron test reads to turn its skip into a failure.
    const electronTest = readFileSync(join(REPO_ROOT, 'test/e2e/electron.test.ts'), 'utf8')
    expect(electronTest).toContain("process.env['TOKENDECK_REQUIRE_ELECTRON'] === '1'")
  })

  it('builds the installers with npm run dist and uploads every one as an artifact', () => {
    const test = stepIndex('runs npm test', (s) => /\bnpm test\b/.test(s.run))
    const dist = stepIndex('runs npm run dist', (s) => /^npm run dist\b/.test(s.run.trim()))
    const upload = stepIndex('uploads the installers', (s) => str(s.with['path']).includes('dist/'))
    expect(test).toBeLessThan(dist)
    expect(dist).toBeLessThan(upload)
    expect(steps[dist]!.run).toContain('--publish never')
    const u = steps[upload]!
    expect(u.uses).toMatch(/^actions\/upload-artifact@/)
    expect(u.if).toBe('')
    expect(u.with['if-no-files-found']).toBe('error')
    // One pattern per installer electron-builder.json asks for.
    const builder = JSON.parse(readFileSync(join(REPO_ROOT, 'electron-builder.json'), 'utf8')) as {
      linux: { target: string[] }
      mac: { target: string }
      win: { target: string }
    }
    const extension: Record<string, string> = {
      AppImage: 'AppImage',
      deb: 'deb',
      dmg: 'dmg',
      nsis: 'exe',
    }
    const wanted = [...builder.linux.target, builder.mac.target, builder.win.target].map(
      (t) => `dist/*.${extension[t] ?? t}`,
    )
    const paths = str(u.with['path'])
      .trim()
      .split('\n')
      .map((p) => p.trim())
    expect([...paths].sort()).toEqual([...wanted].sort())
  })
})
