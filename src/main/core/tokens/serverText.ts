/**
 * Token text from a server (owner, creator, description) as the app and the CLI show it. A
 * hostile or careless server can put characters there that act instead of showing: C0 and C1
 * controls and DEL (terminal escapes, line breaks that fake a row) and the Unicode format
 * characters that reorder or hide text (bidi overrides and isolates, zero-width characters, line
 * and paragraph separators: "‮" makes a name read backwards). Each becomes "?", so a list never
 * shows text that is not there. The ids stay as the server sent them (they are handles, used to
 * act), and rotation reads the server's own list, not this one.
 */
import type { TokenSummary } from '../../../shared/model'

const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/** `text` with every character that would act instead of show replaced by "?". */
export function inertText(text: string): string {
  return text.replace(UNSAFE, '?')
}

/** A token as listed for display: its server-written words inert, everything else as it was. */
export function inertToken(t: TokenSummary): TokenSummary {
  return {
    ...t,
    owner: inertText(t.owner),
    ...(t.creator !== undefined ? { creator: inertText(t.creator) } : {}),
    ...(t.description !== undefined ? { description: inertText(t.description) } : {}),
  }
}
