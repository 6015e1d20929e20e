/**
 * When the test runner asks for a secret-hygiene scan (TOKENDECK_HYGIENE_DIR), every simulator
 * writes out every secret it ever issued or knew as it closes, so the scan can look for them in
 * every log, config file and console capture the suite produced.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Wraps a simulator's close() so that it first records the simulator's secrets. */
export function closeRecordingSecrets(
  name: string,
  issued: () => string[],
  close: () => Promise<void>,
): () => Promise<void> {
  return async () => {
    const dir = process.env['TOKENDECK_HYGIENE_DIR']
    if (dir) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(
        join(dir, `secrets-${name}-${process.pid}-${randomUUID().slice(0, 8)}.json`),
        JSON.stringify(issued()),
      )
    }
    await close()
  }
}
