/**
 * The contract's channel names without its schemas, so the preload — which only needs the
 * allow-list — does not bundle the validation library. contract.ts fails to compile if this
 * list and its channels ever disagree.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'app:startupProblems',
  'app:useSessionOnlySecrets',
  'clusters:list',
  'clusters:get',
  'clusters:probe',
  'clusters:add',
  'clusters:update',
  'clusters:remove',
  'clusters:retrust',
  'session:signIn',
  'session:changePassword',
  'session:signOut',
  'session:refresh',
  'session:copyAccessToken',
  'session:copyAs',
  'tokens:list',
  'tokens:createWarnings',
  'tokens:create',
  'tokens:modify',
  'tokens:revoke',
  'tokens:rotate',
  'clusters:tag',
  'tokens:expiring',
  'clusters:export',
  'clusters:importPlan',
  'clusters:import',
  'files:saveCatalogue',
  'files:openCatalogue',
  'settings:get',
  'settings:update',
  'clipboard:copyShownSecret',
  's3keys:list',
  's3keys:keep',
  's3keys:discard',
  's3keys:forget',
  'audit:recent',
  'clipboard:shownSecretClosed',
  'files:pickCaFile',
  'session:import',
  'app:plaintextCredentials',
] as const

/** The IPC channel name main uses to push events. */
export const EVENT_CHANNEL = 'tokendeck:event'
