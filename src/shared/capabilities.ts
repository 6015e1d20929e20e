/**
 * What each vendor can do, declared once and shared with the renderer (which needs, say, the
 * default port before a cluster exists). The UI and the token operations ask these, never the
 * vendor's name, so a fourth vendor is one more entry and one more client module.
 */
import type { Capabilities, Vendor } from './model'

export const CAPABILITIES: Record<Vendor, Capabilities> = {
  // docs/protocols/weka.md §0, docs/protocols/weka.md §4: 5-minute access tokens renewed with a refresh token; long-lived tokens via
  // refresh with access_token_expiry; the only revocation is "all tokens of this user".
  weka: {
    refreshesAccessTokens: true,
    generatesLongLivedTokens: true,
    listsTokens: false,
    modifiesExpiry: false,
    enablesDisables: false,
    revokes: 'all-of-user',
    rotates: false,
    issuesS3Secrets: false,
    tokenAdminCanActForOthers: false,
    tokensCanNeverExpire: false,
    defaultPort: 14000,
  },
  // docs/protocols/qumulo.md: access tokens for a named user, listed, expiry changed, enabled/disabled, two per user.
  qumulo: {
    refreshesAccessTokens: false,
    generatesLongLivedTokens: true,
    listsTokens: true,
    modifiesExpiry: true,
    enablesDisables: true,
    revokes: 'one',
    rotates: true,
    issuesS3Secrets: false,
    tokenAdminCanActForOthers: true,
    maxTokensPerUser: 2,
    tokensCanNeverExpire: true,
    defaultPort: 8000,
  },
  // docs/protocols/swarm.md: 24 h tokens that may carry an S3 secret; owners list and delete their own.
  swarm: {
    refreshesAccessTokens: false,
    generatesLongLivedTokens: true,
    listsTokens: true,
    modifiesExpiry: false,
    enablesDisables: false,
    revokes: 'one',
    rotates: true,
    issuesS3Secrets: true,
    tokenAdminCanActForOthers: true,
    tokensCanNeverExpire: false,
    // docs/protocols/swarm.md §2.4: logout is deleting the session token.
    endsSessionOnServer: true,
    defaultPort: 443,
  },
}
