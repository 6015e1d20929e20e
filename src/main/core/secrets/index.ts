/** The secrets layer: the SecretStore port, its adapters, and the switchable store the core holds. */
export * from './secretStore'
export { KeytarSecretStore, type KeytarApi, type KeytarStoreOptions } from './keytarStore'
export { MemorySecretStore } from './memoryStore'
export {
  SESSION_ONLY_REFUSED,
  SwitchableSecretStore,
  type KeychainCheck,
  type SessionOnlyReason,
  type SwitchableStoreOptions,
} from './switchableStore'
export {
  chooseSessionOnly,
  openSecrets,
  type OpenedSecrets,
  type OpenSecretsOptions,
} from './sessionOnly'
export { ENVELOPE_VERSION, decodeEnvelope, encodeEnvelope } from './envelope'
export { SESSION_ONLY_HINT, classifyKeychainFailure, type KeychainFailure } from './keychainErrors'
export { MAX_ENTRY_BYTES, MAX_PART_BYTES } from './chunking'
export { hasS3KeySecrets, type S3KeySecrets, type StoredS3Key } from './s3KeyEntry'
