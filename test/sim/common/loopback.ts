import { isIP } from 'node:net'

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost'])

/**
 * Whether a host names this machine only: 127.0.0.0/8, ::1 in any spelling, ::ffff:127.x, or a
 * localhost name. Used where nothing may reach another address: the simulators' --host and the
 * test processes' network guard. An empty host is NOT loopback (a server would bind everything).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h
  if (isIP(v4) === 4) return v4.split('.')[0] === '127'
  if (isIP(h) === 6) return h === '::1' || /^(0{0,4}:){2,7}0{0,3}1$/.test(h)
  return false
}
