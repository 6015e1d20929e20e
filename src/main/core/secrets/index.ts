/** The secrets layer: the SecretStore port and its two adapters. */
export * from './secretStore'
export { KeytarSecretStore, type KeytarApi, type KeytarStoreOptions } from './keytarStore'
export { MemorySecretStore } from './memoryStore'
export { classifyKeychainFailure, type KeychainFailure } from './keychainErrors'
export { MAX_ENTRY_BYTES, MAX_PART_BYTES } from './chunking'
