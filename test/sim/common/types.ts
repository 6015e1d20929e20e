import type { Clock } from './clock'
import type { Faults } from './faults'
import type { LoggedRequest } from './server'

/** A seeded account, as `npm run sim -- --json` prints it. A role containing "admin" marks an administrator. */
export interface SimUser {
  username: string
  password: string
  role: string
  tenant?: string
  domain?: string
}

/** What every simulator's start function returns. */
export interface SimBase {
  url: string
  port: number
  fingerprint: string
  /** PEM of the certificate served now (to trust it as a CA in tests). */
  certificate: string
  users: SimUser[]
  clock: Clock
  faults: Faults
  requests: LoggedRequest[]
  rotateCertificate(): Promise<string>
  close(): Promise<void>
}

export interface SimStartOptions {
  port?: number
  host?: string
  clock?: Clock
  /** Replace the seeded users. */
  users?: SimUser[]
  faultSeed?: number
}
