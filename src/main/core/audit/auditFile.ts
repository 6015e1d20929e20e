/**
 * The audit log on disk: `<data dir>/audit.log`, one JSON record per line, mode 0600.
 *
 * Several processes append at once (the app, `tokendeck` in several terminals, a script's
 * credential_process). Each record is ONE write(2) of one whole line on a descriptor opened with
 * O_APPEND: the kernel positions every such write at the end of the file atomically, so lines from
 * different processes never overwrite or split each other. Lines are kept under MAX_LINE_BYTES
 * (below PIPE_BUF, 4096 on Linux), which also keeps them whole where a file system is less strict.
 * The file is opened anew for each record, so a writer never holds a descriptor to a rotated file
 * for long.
 *
 * Bounded: once the file passes `maxBytes` (DEFAULT_MAX_BYTES, 2 MiB: some 6000 records), the
 * writer that noticed renames it to `audit.log.1` (replacing the previous one) under the
 * data directory's file lock (clusters/fileLock.ts), re-checking the size inside the lock so two
 * writers never rotate twice. At most about 2 × maxBytes are kept. A record appended through a
 * descriptor opened just before the rename lands at the end of `.1`: nothing is lost.
 */
import { constants } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { AuditRecord } from '../../../shared/audit'
import { errnoCode, readTextIfExists } from '../clusters/atomicFile'
import { withFileLock } from '../clusters/fileLock'

export const AUDIT_FILE_NAME = 'audit.log'
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024
export const MAX_LINE_BYTES = 4000

export function auditFilePath(dataDir: string): string {
  return path.join(dataDir, AUDIT_FILE_NAME)
}

/** Appends one line (no newline in it) with one write; rotates when the file grew past maxBytes. */
export async function appendAuditLine(
  file: string,
  line: string,
  maxBytes = DEFAULT_MAX_BYTES,
): Promise<void> {
  const bytes = Buffer.from(`${line}\n`, 'utf8')
  if (bytes.length > MAX_LINE_BYTES || line.includes('\n'))
    throw new Error('an audit record must be one line under MAX_LINE_BYTES')
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 })
  const nofollow = process.platform === 'win32' ? 0 : constants.O_NOFOLLOW
  const handle = await fs.open(
    file,
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | nofollow,
    0o600,
  )
  let size: number
  try {
    const before = await handle.stat()
    // The umask may have narrowed the mode; a hand-widened file is narrowed back.
    if (process.platform !== 'win32' && (before.mode & 0o777) !== 0o600) await handle.chmod(0o600)
    await handle.write(bytes, 0, bytes.length)
    size = (await handle.stat()).size
  } finally {
    await handle.close()
  }
  if (size > maxBytes) await rotate(file, maxBytes)
}

async function rotate(file: string, maxBytes: number): Promise<void> {
  await withFileLock(`${file}.lock`, async () => {
    let size: number
    try {
      size = (await fs.stat(file)).size
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return
      throw e
    }
    if (size <= maxBytes) return // another writer rotated it already
    await fs.rename(file, `${file}.1`)
  })
}

export interface AuditReadResult {
  records: AuditRecord[]
  /** Lines that could not be used, in the user's words (never their content). */
  notes: string[]
}

/** Every record of `.1` then the current file, oldest first; damaged lines become notes. */
export async function readAuditFiles(file: string): Promise<AuditReadResult> {
  const records: AuditRecord[] = []
  const notes: string[] = []
  for (const name of [`${file}.1`, file]) {
    const text = await readTextIfExists(name)
    if (text === undefined) continue
    const lines = text.split('\n')
    const last = lines.pop() // '' after a final newline; else a line cut short
    lines.forEach((line, i) => {
      if (!line.trim()) return
      const record = parseLine(line)
      if (record) records.push(record)
      else notes.push(`Line ${i + 1} of ${name} is damaged and was skipped.`)
    })
    if (last !== undefined && last.trim()) {
      const record = parseLine(last)
      if (record) records.push(record)
      else
        notes.push(
          `The last line of ${name} (line ${lines.length + 1}) was cut short (a crash or a full disk) and was skipped.`,
        )
    }
  }
  return { records, notes }
}

function parseLine(line: string): AuditRecord | undefined {
  try {
    const parsed = AuditRecord.safeParse(JSON.parse(line))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
