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
  'session:signOut',
  'session:refresh',
  'session:copyAccessToken',
  'tokens:list',
  'tokens:createWarnings',
  'tokens:create',
  'tokens:modify',
  'tokens:revoke',
  'tokens:rotate',
  'settings:get',
  'settings:update',
  'clipboard:copyShownSecret',
  'audit:recent',
  'session:import',
  'app:plaintextCredentials',
] as const

/** The IPC channel name main uses to push events. */
export const EVENT_CHANNEL = 'tokendeck:event'
