/**
 * The command of `tokendeck exec <cluster> [--] <command…>`, exactly as typed.
 *
 * commander takes every option it knows wherever it appears, so without `--`, in
 * `tokendeck exec prod curl --json …` the `--json` would be tokendeck's, silently missing from
 * curl's arguments. We compare what commander left with the raw command line and refuse (usage
 * error) when anything was taken out of the command, asking for `--` before it. After `--`
 * nothing is ever taken.
 */
import type { Command } from 'commander'
import { TokendeckError } from '../../../shared/errors'

/** The root program's raw argv (commander keeps it; not in its typings). */
export function rawArgsOf(cmd: Command): string[] | undefined {
  let root: Command = cmd
  while (root.parent) root = root.parent
  const raw = (root as unknown as { rawArgs?: unknown }).rawArgs
  return Array.isArray(raw) && raw.every((a) => typeof a === 'string') ? raw : undefined
}

function endsWith(list: string[], tail: string[]): boolean {
  if (tail.length > list.length) return false
  const start = list.length - tail.length
  return tail.every((t, i) => list[start + i] === t)
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * Checks that `command` (what commander parsed) is the end of the raw command line, untouched.
 * `raw` undefined (commander changed): trusted as parsed.
 */
export function checkCommand(cluster: string, command: string[], raw: string[] | undefined): void {
  if (!command.length) return
  if (raw === undefined) return
  const dd = raw.indexOf('--')
  const ok =
    dd >= 0
      ? same(raw.slice(dd + 1), command) || same(raw.slice(dd + 1), [cluster, ...command])
      : endsWith(raw, command)
  if (!ok) {
    throw new TokendeckError(
      'INVALID_INPUT',
      `tokendeck would take options meant for the command; put -- right before it: tokendeck exec ${cluster} -- ${command[0]} …`,
    )
  }
}
