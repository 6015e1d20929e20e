import type { SimStartOptions, SimUser } from '../common/types'

/** WEKA 4.x role names as `whoami` prints them (docs/protocols/weka.md §4.3; 4.x says OrgAdmin, 5.x TenantAdmin). */
export const WEKA_ROLES = ['ClusterAdmin', 'OrgAdmin', 'ReadOnly', 'Regular', 'S3'] as const
export type WekaRole = (typeof WEKA_ROLES)[number]

/** A seed account. `tenant` names the WEKA organization (absent = Root). */
export interface WekaSeedUser extends SimUser {
  /** First login answers `password_change_required: true` (docs/protocols/weka.md §2.4, admin/admin case). */
  passwordChangeRequired?: boolean
}

export interface WekaClusterIdentity {
  name: string
  guid: string
  /** e.g. "4.4.2.123-<hash>"; `release_hash` is the part after the dash (docs/protocols/weka.md §4.5). */
  release: string
}

export interface WekaLockoutOptions {
  /** Failed sign-ins before the lock (docs/protocols/weka.md §2.4 DOC: 5). */
  attempts?: number
  /** Lock length in seconds (docs/protocols/weka.md §2.4 DOC: 120). */
  durationSeconds?: number
  /** docs/protocols/weka.md §9.4 DESIGN: a failed attempt during a lock does not restart the window; knob to make it. */
  restartWhileLocked?: boolean
}

export interface WekaSimOptions extends SimStartOptions {
  users?: WekaSeedUser[]
  /** Default access-token lifetime (docs/protocols/weka.md §8: 5 min in every release). */
  accessTokenTtlSeconds?: number
  /** Default refresh-token lifetime (docs/protocols/weka.md §8: 4.3+ "one month by default"). */
  refreshTokenTtlSeconds?: number
  /** What a client should ask for as a long-lived token (docs/protocols/weka.md §4.1 DOC: generate-token default 30 d). */
  longLivedDefaultSeconds?: number
  /** Cap on `access_token_expiry` in /login/refresh (docs/protocols/weka.md §4.1, 5.x `max_access_token_expiry`). */
  maxAccessTokenExpirySeconds?: number
  lockout?: WekaLockoutOptions
  /** docs/protocols/weka.md §3, docs/protocols/weka.md §9.5 DESIGN: a used refresh token stays valid unless this is set. */
  refreshTokenSingleUse?: boolean
  /** docs/protocols/weka.md §9.6 DESIGN: `password_change_required` blocks nothing unless this is set. */
  passwordChangeBlocks?: boolean
  cluster?: Partial<WekaClusterIdentity>
  /** Serve a certificate signed by this CA instead of a self-signed one. */
  ca?: { key: string; cert: string }
}

/** The knobs as the handlers read them on every request; tests may change them while running. */
export interface WekaConfig {
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
  longLivedDefaultSeconds: number
  maxAccessTokenExpirySeconds: number | undefined
  refreshTokenSingleUse: boolean
  passwordChangeBlocks: boolean
  lockoutRestartWhileLocked: boolean
  cluster: WekaClusterIdentity
}

export const DEFAULT_CLUSTER: WekaClusterIdentity = {
  name: 'tokendeck-sim',
  guid: '6f1d7c2a-3b4e-4f5a-9c8d-0e1f2a3b4c5d',
  release: '4.4.2.123-8e1b7a3c5d9f02461b7c3e5a9d8f1c20',
}

export function resolveConfig(opts: WekaSimOptions): WekaConfig {
  return {
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 300,
    refreshTokenTtlSeconds: opts.refreshTokenTtlSeconds ?? 30 * 86_400,
    longLivedDefaultSeconds: opts.longLivedDefaultSeconds ?? 2_592_000,
    maxAccessTokenExpirySeconds: opts.maxAccessTokenExpirySeconds,
    refreshTokenSingleUse: opts.refreshTokenSingleUse ?? false,
    passwordChangeBlocks: opts.passwordChangeBlocks ?? false,
    lockoutRestartWhileLocked: opts.lockout?.restartWhileLocked ?? false,
    cluster: { ...DEFAULT_CLUSTER, ...opts.cluster },
  }
}
