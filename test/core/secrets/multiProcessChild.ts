// One of the processes of multiProcess.test.ts: rounds of set/get/delete on its own cluster id
// plus a get of a cluster every process reads, through the real keytar, while the others do the
// same. Prints one JSON line; exits 0 when every round saw what it should, 1 otherwise (a crash
// shows as a signal in the parent).
//   node --import tsx test/core/secrets/multiProcessChild.ts '<json options>'
import { KeytarSecretStore } from '../../../src/main/core/secrets/keytarStore'
import type { StoredCredential } from '../../../src/main/core/secrets/secretStore'

interface Options {
  service: string
  namespace: string
  clusterId: string
  sharedClusterId: string
  sharedValue: string
  rounds: number
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options
const store = new KeytarSecretStore({ service: options.service, namespace: options.namespace })
const binding = { vendor: 'weka', origin: 'https://weka01:14000', username: 'admin' } as const

function fail(round: number, what: string): never {
  console.log(JSON.stringify({ ok: false, round, what }))
  process.exit(1)
}

try {
  await store.check()
  for (let round = 1; round <= options.rounds; round++) {
    // Every third round a value large enough to be split across entries.
    const value =
      round % 3 === 0
        ? `${options.clusterId}-${round}.`.padEnd(3000, 'xyz0123456789')
        : `${options.clusterId}-${round}`
    const credential: StoredCredential = { kind: 'refresh-token', value, binding }
    await store.setCredential(options.clusterId, credential)
    const got = await store.getCredential(options.clusterId)
    if (got?.value !== value) fail(round, 'read back a different value')
    const shared = await store.getCredential(options.sharedClusterId)
    if (shared?.value !== options.sharedValue) fail(round, 'shared credential differs')
    if (!(await store.deleteCredential(options.clusterId))) fail(round, 'delete found nothing')
    if ((await store.getCredential(options.clusterId)) !== undefined)
      fail(round, 'still there after delete')
  }
  console.log(JSON.stringify({ ok: true, rounds: options.rounds }))
} catch (e) {
  const error = e as { code?: string; message?: string }
  console.log(JSON.stringify({ ok: false, code: error.code, message: error.message }))
  process.exit(1)
}
