/** Small pieces the command-line entry points (npm run sim / demo / start) share. */

/** A mistake in the command line: reported with the usage text, exit status 2. */
export class UsageError extends Error {}

/** A port number from a flag; undefined (not given) means 0, any free port. */
export function parsePort(value: string | undefined, flag: string): number {
  if (value === undefined) return 0
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`${flag} wants a port number from 0 to 65535 (got "${value}")`)
  }
  return Number(value)
}

/** Resolves with the name of the first SIGINT or SIGTERM; the handlers are removed then. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}
