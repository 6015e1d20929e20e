/**
 * The README items of issue #13, kept true: every link stays inside the repository (the protocol
 * notes are ours, under docs/protocols/, not somewhere else); npm's banner never lands in a
 * captured output (`npm run -s`); the simulators' fault knobs are named where `npm run sim --
 * --help` is; the curl example verifies the cluster with its pinned certificate; there is a
 * recipe for SSH and headless machines (run for real in test/cli/keychain/noSecretService.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FAULT_NAMES } from '../sim/cli/faultArgs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const lines = readme.split('\n')

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')
}

describe('README', () => {
  it('links only inside the repository, to files and headings that exist', () => {
    const anchors = new Set(
      [...readme.matchAll(/^#{1,6}\s+(.+)$/gm)].map(([, h]) => anchorOf(h!.replace(/`/g, ''))),
    )
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map(([, t]) => t!)
    expect(targets.length).toBeGreaterThan(0)
    for (const target of targets) {
      expect(target, `${target} leaves the repository`).not.toMatch(/^[a-z][a-z0-9+.-]*:/i)
      if (target.startsWith('#')) expect(anchors, target).toContain(target.slice(1))
      else expect(existsSync(join(root, target.split('#')[0]!)), target).toBe(true)
    }
    // No bare links to the vendors' notes elsewhere: the notes are docs/protocols/*.md.
    expect(readme).not.toMatch(/https?:\/\/\S*protocols/i)
    for (const vendor of ['weka', 'qumulo', 'swarm'])
      expect(existsSync(join(root, `docs/protocols/${vendor}.md`))).toBe(true)
  })

  it('captures tokendeck output with npm run -s (npm’s banner would be captured otherwise)', () => {
    const bare = lines.filter((l) => /npm run tokendeck\b/.test(l))
    // The one place it is written without -s is the sentence that warns against it.
    for (const l of bare) expect(l).toMatch(/would hold that banner/)
    expect(bare.length).toBeLessThanOrEqual(1)
    expect(readme).toMatch(/npm run -s tokendeck -- token prod/)
  })

  it('names every simulator fault knob and sends the reader to npm run sim -- --help', () => {
    expect(readme).toContain('npm run sim -- --help')
    expect(readme).toMatch(/npm run sim -- --fault \S+/)
    for (const name of FAULT_NAMES) expect(readme, name).toContain(name)
  })

  it('the curl example verifies the cluster with the pinned certificate, never -k', () => {
    const curl = lines.find((l) => /^curl .*\$\(tokendeck token prod\)/.test(l))
    expect(curl).toBeDefined()
    expect(curl).toMatch(/--cacert prod\.pem/)
    const certLine = lines.findIndex((l) => /tokendeck cert prod --out prod\.pem/.test(l))
    expect(certLine).toBeGreaterThanOrEqual(0)
    expect(certLine).toBeLessThan(lines.indexOf(curl!))
    expect(lines.filter((l) => /^\s*curl\b/.test(l) && /(\s-k\b|--insecure)/.test(l))).toEqual([])
  })

  it('has a recipe for SSH and headless machines: agent --session-only, or a private keyring', () => {
    const start = lines.findIndex((l) => /^#+ .*(SSH|headless|without a desktop)/i.test(l))
    expect(start).toBeGreaterThanOrEqual(0)
    const section = lines.slice(start, start + 40).join('\n')
    expect(section).toMatch(/npm run -s tokendeck -- agent --session-only &/)
    expect(section).toMatch(/login prod --password-stdin/)
    expect(section).toMatch(/dbus-run-session/)
    expect(section).toMatch(/gnome-keyring-daemon --unlock/)
  })
})
