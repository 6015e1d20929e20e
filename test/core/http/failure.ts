import { expect } from 'vitest'
import { TokendeckError } from '../../../src/shared/errors'

/** The TokendeckError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function failure(p: Promise<unknown>): Promise<TokendeckError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TokendeckError)
  return err as TokendeckError
}
