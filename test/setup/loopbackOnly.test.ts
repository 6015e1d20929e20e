import { request } from 'undici'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { isLoopbackTarget as isLoopbackHost } from './loopbackOnly'

describe('test network guard', () => {
  it('knows loopback from everything else', () => {
    for (const h of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopbackHost(h)).toBe(true)
    for (const h of [
      '10.0.0.1',
      '192.168.1.1',
      '8.8.8.8',
      'example.com',
      '::',
      '0.0.0.0',
      'localhost.evil.com',
    ])
      expect(isLoopbackHost(h)).toBe(false)
  })

  it('refuses a TCP connection to a non-loopback address before it is made', async () => {
    const err = await new Promise<Error>((resolve) =>
      connect({ host: '192.0.2.1', port: 443 }).on('error', resolve),
    )
    expect(err.message).toMatch(/test network guard: refused to reach 192\.0\.2\.1/)
  })

  it('refuses an HTTPS request to a public name (the resolver never asks)', async () => {
    await expect(request('https://example.com/')).rejects.toThrow(
      /refused to reach example\.com|ECONNREFUSED/,
    )
  })
})
