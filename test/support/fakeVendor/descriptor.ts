/**
 * A fake fourth vendor, "Acme", declared the way a real one would be: one descriptor for the
 * vendor table (shared/vendors.ts) with one connection field of its own (`region`). Shared code
 * only, so the renderer test bundle can register it too. Nothing outside this folder names it.
 */
import { registerVendor, isVendor, type VendorDescriptor } from '../../../src/shared/vendors'

export const ACME = 'acme'

export const ACME_DESCRIPTOR: VendorDescriptor = {
  id: ACME,
  name: 'Acme Store',
  capabilities: {
    refreshesAccessTokens: false,
    generatesLongLivedTokens: false,
    listsTokens: false,
    modifiesExpiry: false,
    enablesDisables: false,
    revokes: 'one',
    rotates: false,
    issuesS3Secrets: false,
    tokenAdminCanActForOthers: false,
    tokensCanNeverExpire: false,
    defaultPort: 9443,
  },
  fields: [
    {
      key: 'region',
      label: 'Region',
      help: 'The Acme region the account lives in.',
      flag: 'acme-region',
      cliHelp: 'Acme region of the account',
      kind: 'text',
      changesClient: true,
      changesSignIn: true,
    },
  ],
}

/** Adds Acme to the vendor table (once per process). */
export function registerAcmeVendor(): void {
  if (!isVendor(ACME)) registerVendor(ACME_DESCRIPTOR)
}
