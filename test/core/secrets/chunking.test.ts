import { describe, expect, it } from 'vitest'
import {
  MAX_ENTRY_BYTES,
  MAX_PART_BYTES,
  chunkHeader,
  generationPartAccount,
  joinParts,
  needsChunking,
  parseChunkHeader,
  partAccount,
  splitUtf8,
} from '../../../src/main/core/secrets/chunking'

describe('splitUtf8', () => {
  it('never cuts a character in two and keeps every piece within the byte limit', () => {
    const value = 'a€😀漢é'.repeat(500)
    for (const max of [4, 5, 7, 100, MAX_PART_BYTES]) {
      const parts = splitUtf8(value, max)
      expect(parts.join('')).toBe(value)
      for (const p of parts) {
        expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(max)
        expect(p).not.toContain('\uFFFD')
      }
    }
  })

  it('keeps pieces under Windows’ 2,560-byte blob even if stored as UTF-16', () => {
    for (const p of splitUtf8('x'.repeat(10_000)))
      expect(Buffer.byteLength(p, 'utf16le')).toBeLessThanOrEqual(MAX_ENTRY_BYTES)
  })

  it('returns no pieces for an empty string and one for a short one', () => {
    expect(splitUtf8('')).toEqual([])
    expect(splitUtf8('abc')).toEqual(['abc'])
  })
})

describe('chunk headers', () => {
  it('round-trip and are small', () => {
    const h = chunkHeader(3, 'value')
    expect(h).toMatch(/^tokendeck-chunked:v1:3:[0-9a-f]{16}$/)
    expect(parseChunkHeader(h)).toEqual({ parts: 3, digest: h.slice(-16) })
  })

  it('tell plain values and unreadable headers apart', () => {
    expect(parseChunkHeader('eyJhbGciOi…')).toBeUndefined()
    expect(parseChunkHeader('tokendeck-chunked:v9:2:abc')).toBe('malformed')
  })

  it('values that look like headers are always split so the main entry is never ambiguous', () => {
    expect(needsChunking('short')).toBe(false)
    expect(needsChunking('tokendeck-chunked:v1:1:0000000000000000')).toBe(true)
    expect(needsChunking('x'.repeat(MAX_PART_BYTES + 1))).toBe(true)
  })

  it('name parts after their secret (legacy) or after their secret and its digest', () => {
    expect(partAccount('c1:refresh-token', 2)).toBe('c1:refresh-token#2')
    const header = parseChunkHeader(chunkHeader(3, 'value'))
    if (header === undefined || header === 'malformed') throw new Error('bad fixture')
    expect(generationPartAccount('ns/c1', header, 2)).toBe(`ns/c1#${header.digest}.2`)
  })
})

describe('joinParts', () => {
  const value = 'x'.repeat(3000) + 'secret-tail'
  const parts = splitUtf8(value)
  const header = parseChunkHeader(chunkHeader(parts.length, value))
  if (header === undefined || header === 'malformed') throw new Error('bad fixture')

  it('reassembles', () => {
    expect(joinParts(header, parts, 'it')).toBe(value)
  })

  it('names the missing piece and never the value', () => {
    const holed = [parts[0], undefined, parts[2]]
    expect(() => joinParts(header, holed, 'the refresh-token of cluster "c1"')).toThrow(
      /piece 2 of 3 is missing/,
    )
    try {
      joinParts(header, holed, 'x')
    } catch (e) {
      expect(e).toMatchObject({ code: 'CONFIG_CORRUPT' })
      expect((e as Error).message).not.toContain('secret-tail')
    }
    expect(() => joinParts(header, parts.slice(0, 2), 'x')).toThrow(/piece 3 of 3 is missing/)
  })

  it('detects pieces that do not belong together', () => {
    const swapped = [parts[0], parts[2], parts[1]]
    expect(() => joinParts(header, swapped, 'x')).toThrow(/do not fit together/)
  })

  it('reports a header this version cannot read', () => {
    expect(() => joinParts('malformed', [], 'x')).toThrow(/cannot read/)
  })
})
