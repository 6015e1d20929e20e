import { randomBytes } from 'node:crypto'
import type { QumuloSession } from './types'

/**
 * Session bearer tokens. docs/protocols/qumulo.md §2.1: current clusters issue `session-v1:…` (CODE, PowerShell
 * toolkit), valid 10 hours (DOC), opaque to clients; privileges are snapshotted at login (DOC:
 * role changes take effect after a new login).
 */
export function mintSession(input: {
  userAuthId: string
  now: number
  ttlSeconds: number
  privileges: string[]
}): QumuloSession {
  return {
    bearerToken: `session-v1:${randomBytes(48).toString('base64')}`,
    userAuthId: input.userAuthId,
    createdAt: input.now,
    expiresAt: input.now + input.ttlSeconds * 1000,
    privileges: [...input.privileges],
  }
}

export const sessionLive = (s: QumuloSession, now: number) => now < s.expiresAt
