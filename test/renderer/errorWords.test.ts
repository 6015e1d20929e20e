/**
 * The words the renderer puts above an error from main (src/renderer/src/format.ts): the honest
 * codes read as what happened, not as "Check the input".
 */
import { describe, expect, it } from 'vitest'
import { errorWords } from '../../src/renderer/src/format'

describe('errorWords', () => {
  it('BUSY says the operation is already in progress', () => {
    expect(
      errorWords({
        code: 'BUSY',
        message: 'Already signing in to Prod; wait for that attempt to finish.',
      }),
    ).toBe('Already in progress: Already signing in to Prod; wait for that attempt to finish.')
  })

  it('CONFIRMATION_REQUIRED says it needs confirmation', () => {
    expect(
      errorWords({ code: 'CONFIRMATION_REQUIRED', message: 'Confirm before rotating: …' }),
    ).toBe('Needs your confirmation: Confirm before rotating: …')
  })

  it('INVALID_INPUT still asks to check the input', () => {
    expect(errorWords({ code: 'INVALID_INPUT', message: 'The cluster id is missing.' })).toBe(
      'Check the input: The cluster id is missing.',
    )
  })
})
