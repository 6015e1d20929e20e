/**
 * What anyone with access to the session's Secret Service sees WITHOUT reading a secret: the
 * attributes and label of every keychain item — what Seahorse lists.
 * Read over D-Bus with busctl (systemd), never through keytar's findCredentials (it crashes when
 * another process deletes an item meanwhile, node-keytar issue 477).
 *
 * Linux inside the private keyring only (scripts/with-private-keyring.sh); elsewhere the reason
 * it cannot look is returned for the test to skip with.
 */
import { execFile, execFileSync } from 'node:child_process'

export function keyringListingMissingReason(): string | undefined {
  if (process.platform !== 'linux') return 'listing keychain items is implemented for Linux only'
  if (process.env['TOKENDECK_PRIVATE_KEYRING'] !== '1') return 'not inside the private keyring'
  try {
    execFileSync('busctl', ['--version'], { stdio: 'ignore' })
  } catch {
    return 'busctl (systemd) is not installed'
  }
  return undefined
}

function busctl(args: string[]): Promise<{ type: string; data: unknown }> {
  return new Promise((resolve, reject) => {
    execFile('busctl', ['--user', '--json=short', ...args], { encoding: 'utf8' }, (e, out) =>
      e ? reject(e) : resolve(JSON.parse(out) as { type: string; data: unknown }),
    )
  })
}

/**
 * Service, account and label of every item in the keyring (of every service: tests that run
 * meanwhile add and delete theirs; an item deleted while it is being read is left out).
 */
export async function keyringItems(): Promise<
  Array<{ service: string; account: string; label: string }>
> {
  const search = await busctl([
    'call',
    'org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service',
    'SearchItems',
    'a{ss}',
    '0',
  ])
  const [unlocked, locked] = search.data as [string[], string[]]
  const items: Array<{ service: string; account: string; label: string }> = []
  for (const path of [...unlocked, ...locked]) {
    const item = ['org.freedesktop.secrets', path, 'org.freedesktop.Secret.Item']
    try {
      const attributes = (await busctl(['get-property', ...item, 'Attributes'])).data as Record<
        string,
        string
      >
      const label = (await busctl(['get-property', ...item, 'Label'])).data as string
      items.push({
        service: attributes['service'] ?? '',
        account: attributes['account'] ?? '',
        label,
      })
    } catch {
      // Deleted by another test since the search: not there any more.
    }
  }
  return items
}
