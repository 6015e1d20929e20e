/**
 * Where this process keeps secrets, decided at start and changed at most once: the OS keychain,
 * or memory ("This session only") when the user chose so at start (`tokendeck agent
 * --session-only`) or when the keychain cannot be used and the user picks it (the
 * `app:useSessionOnlySecrets` channel). The rules of the switch itself are the store's
 * (switchableStore.ts); this file decides when startCore asks for it.
 */
import type { Cluster, ErrorInfo } from '../../../shared/model'
import { isTokendeckError } from '../../../shared/errors'
import { migrateLegacyCredentials } from './legacyMigration'
import type { SecretStore } from './secretStore'
import { SwitchableSecretStore } from './switchableStore'

export interface OpenSecretsOptions {
  /**
   * The OS keychain (or a test's store). A SwitchableSecretStore is used as it is: the bench
   * switches its own between the keychain and memory to measure the keychain's share.
   */
  keychain: SecretStore
  /** Keep secrets in memory only, chosen at start. */
  sessionOnly: boolean
  /**
   * Move credentials saved before profiles existed into this profile (legacyMigration.ts): only
   * on the profile's first start, only when the caller says the entries are this profile's.
   */
  claimLegacyCredentials: boolean
  clusters: () => readonly Cluster[]
}

export interface OpenedSecrets {
  secrets: SwitchableSecretStore
  /** What the user must see: the keychain is unavailable, a legacy entry could not be moved. */
  problems: ErrorInfo[]
}

/**
 * Checks the keychain once. When it fails, the failure is a startup problem the window offers
 * "This session only" for — unless session-only was chosen at start, which then simply applies.
 */
export async function openSecrets(options: OpenSecretsOptions): Promise<OpenedSecrets> {
  const { keychain, sessionOnly } = options
  const secrets =
    keychain instanceof SwitchableSecretStore ? keychain : new SwitchableSecretStore(keychain)
  const problems: ErrorInfo[] = []
  let keychainWorks = true
  try {
    await secrets.check()
  } catch (e) {
    if (!isTokendeckError(e)) throw e
    keychainWorks = false
    if (!sessionOnly) problems.push(e.toInfo())
  }
  if (sessionOnly)
    secrets.useSessionOnly(keychainWorks ? 'chosen-at-start' : 'keychain-unavailable')
  if (keychainWorks && options.claimLegacyCredentials && !sessionOnly) {
    const problem = await migrateLegacyCredentials(secrets.keychain, options.clusters())
    if (problem) problems.push(problem)
  }
  return { secrets, problems }
}

/**
 * The user chose "This session only" after the keychain failed (a visible, user-chosen mode,
 * offered only then): secrets live in memory until quit, never on disk, and the keychain problem
 * is no longer one. Refused (INVALID_INPUT) while the keychain works.
 */
export function chooseSessionOnly(secrets: SwitchableSecretStore, problems: ErrorInfo[]): void {
  secrets.useSessionOnly('keychain-unavailable')
  const i = problems.findIndex((p) => p.code === 'KEYCHAIN_UNAVAILABLE')
  if (i >= 0) problems.splice(i, 1)
}
