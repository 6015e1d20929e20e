import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readOrCreateProfileId } from '../../../src/main/core/clusters'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let dir: string
let file: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'td-profile-'))
  file = path.join(dir, 'profile.json')
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

describe('readOrCreateProfileId', () => {
  it('creates a random id once (file 0600, new directory 0700), then keeps returning it', async () => {
    const nested = path.join(dir, 'a', 'Tokendeck')
    const first = await readOrCreateProfileId(nested)
    expect(first).toEqual({ id: expect.stringMatching(UUID), created: true })
    const saved = path.join(nested, 'profile.json')
    expect(JSON.parse(await fs.readFile(saved, 'utf8'))).toEqual({ version: 1, id: first.id })
    expect(await fs.readdir(nested)).toEqual(['profile.json'])
    if (process.platform !== 'win32') {
      expect((await fs.stat(saved)).mode & 0o777).toBe(0o600)
      expect((await fs.stat(nested)).mode & 0o777).toBe(0o700)
    }
    expect(await readOrCreateProfileId(nested)).toEqual({ id: first.id, created: false })
    // Another directory is another profile.
    expect((await readOrCreateProfileId(dir)).id).not.toBe(first.id)
  })

  it('concurrent calls in one process agree on one id', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, () => readOrCreateProfileId(dir)))
    expect(new Set(all.map((p) => p.id)).size).toBe(1)
    expect(all.filter((p) => p.created)).toHaveLength(1)
    expect(await fs.readdir(dir)).toEqual(['profile.json'])
  })

  it('reads a hand-written valid file', async () => {
    const id = '0b6f6c1e-5d3a-4c55-9a4e-2f3e1d2c3b4a'
    await fs.writeFile(file, JSON.stringify({ id, version: 1 }))
    expect(await readOrCreateProfileId(dir)).toEqual({ id, created: false })
  })

  it.each([
    ['not JSON', '{"version":1,'],
    ['empty', ''],
    ['no id', '{"version":1}'],
    ['not a UUID', '{"version":1,"id":"prod"}'],
    ['another version', '{"version":2,"id":"0b6f6c1e-5d3a-4c55-9a4e-2f3e1d2c3b4a"}'],
    ['an unknown field', '{"version":1,"id":"0b6f6c1e-5d3a-4c55-9a4e-2f3e1d2c3b4a","x":1}'],
  ])('a corrupt file (%s) is CONFIG_CORRUPT, explained, and never replaced', async (_, text) => {
    await fs.writeFile(file, text)
    const error = await readOrCreateProfileId(dir).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CONFIG_CORRUPT', message: expect.stringContaining(file) })
    const message = (error as Error).message
    expect(message).toContain('will not replace it')
    expect(message).toContain('keychain')
    expect(message).toContain('delete it')
    expect(await fs.readFile(file, 'utf8')).toBe(text)
    expect(await fs.readdir(dir)).toEqual(['profile.json'])
  })

  it('an unreadable file is CONFIG_CORRUPT too', async () => {
    await fs.mkdir(file)
    await expect(readOrCreateProfileId(dir)).rejects.toMatchObject({
      code: 'CONFIG_CORRUPT',
      message: expect.stringContaining('could not be read (EISDIR)'),
    })
  })
})
