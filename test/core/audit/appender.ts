/**
 * A separate process for the multi-process audit test (`node --import tsx appender.ts <dir>
 * <tag> <count> <maxBytes> <service> <namespace>`): prints "ready", waits for a line on stdin so
 * every appender starts together, then records <count> copies (what = <tag>-<i>, padded so lines
 * are long) about the same token id, hashed with the profile key in the keychain, and exits.
 */
import { AuditLog } from '../../../src/main/core/audit'
import { KeytarSecretStore } from '../../../src/main/core/secrets'

const [dir, tag, count, maxBytes, service, namespace] = process.argv.slice(2)
const log = new AuditLog({
  dataDir: dir!,
  actor: 'cli',
  secrets: new KeytarSecretStore({ service: service!, namespace: namespace! }),
  maxBytes: Number(maxBytes),
  onProblem: (e) => process.stderr.write(`problem: ${String(e)}\n`),
})
process.stdout.write('ready\n')
await new Promise((resolve) => process.stdin.once('data', resolve))
process.stdin.pause()
for (let i = 0; i < Number(count); i++) {
  log.record({ event: 'copy', what: `${tag}-${i}-${'x'.repeat(300)}`, tokenId: 'shared-id' })
  // Half the time let the write happen before the next is queued, so processes interleave.
  if (i % 2) await log.flush()
}
await log.flush()
process.stdout.write('done\n')
