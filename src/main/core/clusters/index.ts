/** The clusters area: where data lives, its identity, and the registry of cluster configs and settings. */
export { APP_NAME, DEMO_APP_NAME, dataDir, keychainService, resolveDataDir } from './dataDir'
export type { DataDirInput, Profile } from './dataDir'
export { PROFILE_FILE_NAME, readOrCreateProfileId } from './profileIdentity'
export type { ProfileIdentity } from './profileIdentity'
export { ClusterInput, ClusterRegistry, LOCK_FILE_NAME } from './registry'
export type { ClusterPatch, RegistryChange, RegistryOptions } from './registry'
export { FILE_NAME, FORMAT_VERSION, RegistryFile } from './registryFile'
