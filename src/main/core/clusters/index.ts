/**
 * The clusters area: where data lives, its identity, and the registry of cluster configs and
 * settings. Only what other folders use is exported; the file formats, locks and atomic writes
 * stay inside (tests reach them by their own paths).
 */
export { dataDir, keychainService } from './dataDir'
export type { Profile } from './dataDir'
export { readOrCreateProfileId } from './profileIdentity'
export { ClusterRegistry } from './registry'
export type { ClusterPatch, RegistryChange, RegistryOptions, SettingsPatch } from './registry'
export { FILE_NAME } from './registryFile'
export { editTags } from './tags'
