/** The WEKA vendor client (docs/protocols/weka.md). */
export {
  WekaClient,
  createWekaClient,
  jwtExpiry,
  WEKA_API_PREFIX,
  DEFAULT_LONG_LIVED_SECONDS,
  LONG_EXPIRY_WARNING_SECONDS,
  type WekaClientOptions,
} from './client'
export { parseGoDuration, lockoutRemaining, DEFAULT_LOCKOUT_MS } from './errors'
export {
  LoginReply,
  WekaTokens,
  WekaTokensData,
  WhoamiReply,
  ClusterReply,
  UserListReply,
} from './schemas'
