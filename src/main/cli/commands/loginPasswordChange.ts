/**
 * `tokendeck login` when the server accepts the password only on condition that it is changed
 * first (WEKA `password_change_required`, docs/protocols/weka.md §2.4): on a terminal the new
 * password is asked twice with echo off; a script gives it as the second line of stdin with
 * `--new-password-stdin`. Each password is sent once; nothing is retried.
 */
import { TokendeckError } from '../../../shared/errors'
import type { Cluster } from '../../../shared/model'
import { askHidden, canPrompt } from '../prompt'

/** docs/protocols/weka.md §2.4: WEKA's complexity rule, said before the user types. */
export const NEW_PASSWORD_RULE =
  'at least 8 characters, with an upper-case letter, a lower-case letter, and a digit or special character'

export function isChangeRequired(e: unknown): boolean {
  return e instanceof TokendeckError && e.code === 'PASSWORD_CHANGE_REQUIRED'
}

/**
 * The new password: from `--new-password-stdin` (already read), else asked twice on the
 * terminal. Without either, PASSWORD_CHANGE_REQUIRED (exit 3) saying how to change it.
 */
export async function newPasswordFor(
  c: Cluster,
  ref: string,
  fromStdin: string | undefined,
): Promise<string> {
  if (fromStdin !== undefined) {
    if (!fromStdin) throw emptyNew()
    return fromStdin
  }
  if (!canPrompt()) {
    throw new TokendeckError(
      'PASSWORD_CHANGE_REQUIRED',
      `${c.name} accepted the password of "${c.username}" but requires it to be changed before the account is used. ` +
        `Run "tokendeck login ${ref}" on a terminal to change it there, or give the current and the new password ` +
        `as two lines of stdin: tokendeck login ${ref} --password-stdin --new-password-stdin (or change it in the WEKA web GUI). ` +
        `The new password needs ${NEW_PASSWORD_RULE}. Tokendeck kept nothing from this sign-in.`,
    )
  }
  process.stderr.write(
    `${c.name} requires a new password for ${c.username} before the account is used (${NEW_PASSWORD_RULE}).\n`,
  )
  const first = await askHidden(`New password for ${c.username} on ${c.name}: `)
  if (!first) throw emptyNew()
  const again = await askHidden('Type the new password again: ')
  if (again !== first) {
    throw new TokendeckError(
      'INVALID_INPUT',
      'The two new passwords differ; nothing was sent. Run the login again to change the password.',
    )
  }
  return first
}

function emptyNew(): TokendeckError {
  return new TokendeckError('INVALID_INPUT', 'The new password is empty; nothing was sent.')
}
