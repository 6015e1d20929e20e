/**
 * What expiry warnings were already shown, per profile, in the data directory
 * (`expiry-notices.json`), so a restart does not show them again. The decision and the write
 * happen under the same cross-process lock (clusters/fileLock.ts) and the file is replaced
 * atomically (clusters/atomicFile.ts): two processes checking at once announce each crossing
 * once. Holds cluster ids, token ids and expiry times — never a secret. A file that cannot be
 * read as ours is started afresh (the worst case is a warning shown once more).
 */
import path from 'node:path'
import { z } from 'zod'
import { readTextIfExists, writeFileAtomic } from '../clusters/atomicFile'
import { withFileLock } from '../clusters/fileLock'
import type { Announced } from './expiryAlerts'

export const LEDGER_FILE = 'expiry-notices.json'

const LedgerFile = z.strictObject({
  version: z.literal(1),
  announced: z.record(z.string().max(512), z.strictObject({ expiresAt: z.number() })),
})

export class NoticeLedger {
  private readonly file: string

  constructor(dataDir: string) {
    this.file = path.join(dataDir, LEDGER_FILE)
  }

  /** Reads the record, lets `decide` replace it, writes it back: all under the lock. */
  async update<T>(
    decide: (announced: Announced) => { announced: Announced; result: T },
  ): Promise<T> {
    return withFileLock(`${this.file}.lock`, async () => {
      const before = await this.read()
      const { announced, result } = decide(before)
      if (JSON.stringify(announced) !== JSON.stringify(before))
        await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, announced }, null, 2)}\n`)
      return result
    })
  }

  async read(): Promise<Announced> {
    const text = await readTextIfExists(this.file)
    if (text === undefined) return {}
    try {
      const parsed = LedgerFile.safeParse(JSON.parse(text))
      return parsed.success ? parsed.data.announced : {}
    } catch {
      return {}
    }
  }
}
