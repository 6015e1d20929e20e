/**
 * The exit codes a script tells failures apart by: CONFIRMATION_REQUIRED is a usage error (pass
 * --yes), BUSY has its own code (try again later), and --help lists both.
 */
import { describe, expect, it } from 'vitest'
import { EXIT_CODES_HELP, exitCodeFor } from '../../src/main/cli/exitCodes'

describe('exit codes', () => {
  it('CONFIRMATION_REQUIRED exits 2 like other usage errors; BUSY exits 6', () => {
    expect(exitCodeFor('CONFIRMATION_REQUIRED')).toBe(2)
    expect(exitCodeFor('INVALID_INPUT')).toBe(2)
    expect(exitCodeFor('BUSY')).toBe(6)
  })

  it('--help documents exit 6', () => {
    expect(EXIT_CODES_HELP).toMatch(/^ {2}6 {2}busy: the same operation is already under way/m)
  })
})
