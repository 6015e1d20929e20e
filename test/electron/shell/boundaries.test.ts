/**
 * The shell's boundaries, through the real src/main/index.ts over the Electron double: IPC
 * answers only the app's own top-level page; the app:// protocol serves the renderer folder and
 * nothing outside it, answering bad paths with a 4xx instead of failing; the page cannot
 * navigate away, open windows or get permissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keychainMissingReason } from '../../core/harness'
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/csp'
import type { FrameDouble } from '../../support/electronDouble'
import { startApp, type AppUnderTest } from './appUnderTest'

const missing = keychainMissingReason()

describe.skipIf(missing)(
  `the shell: IPC, protocol, navigation${missing ? ` — SKIPPED: ${missing}` : ''}`,
  () => {
    let app: AppUnderTest
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled)
      app = await startApp()
    })
    afterAll(async () => {
      await app?.cleanUp()
      process.off('unhandledRejection', onUnhandled)
    })

    const draft = {
      vendor: 'weka' as const,
      name: 'planted',
      url: 'https://127.0.0.1:1',
      username: 'admin',
      trust: { sha256: Array(32).fill('AB').join(':') },
    }

    it('answers the app page in its window', async () => {
      const info = await app.invoke('app:info', undefined)
      expect(info).toMatchObject({ ok: true, value: { name: 'Tokendeck', profile: 'default' } })
    })

    it.each<[string, () => FrameDouble | null]>([
      [
        'a subframe of the app page',
        () => ({ url: 'app://tokendeck/index.html', parent: app.window().webContents.mainFrame }),
      ],
      [
        'a top-level page of another origin',
        () => ({ url: 'https://evil.example/', parent: null }),
      ],
      [
        'a look-alike host',
        () => ({ url: 'app://tokendeck.evil.example/index.html', parent: null }),
      ],
      ['a frame that navigated away or is gone', () => null],
    ])('refuses IPC from %s, before the core sees it', async (_what, frame) => {
      const result = await app.invoke('clusters:add', draft, frame())
      expect(result).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'This page may not talk to Tokendeck.' },
      })
      // Nothing was added: the handler never ran.
      expect(await app.invoke('clusters:list', undefined)).toEqual({ ok: true, value: [] })
    })

    it('serves the renderer with its Content-Security-Policy', async () => {
      const res = await app.electron.protocol.request('app://tokendeck/index.html')
      expect(res).toMatchObject({ status: 200 })
      if (!('status' in res)) return
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.body).toContain('<div id="root">')
    })

    it.each([
      ['a path climbing out of the folder', 'app://tokendeck/../../../../etc/passwd'],
      ['an encoded climb', 'app://tokendeck/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
      ['a dot-segment climb', 'app://tokendeck/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd'],
      ['a backslash climb', 'app://tokendeck/..%5c..%5c..%5c..%5cetc%5cpasswd'],
      ['a file that does not exist', 'app://tokendeck/missing.js'],
      ['a NUL byte', 'app://tokendeck/index.html%00.js'],
      ['a malformed escape', 'app://tokendeck/%E0%A4%A'],
      ['a lone %', 'app://tokendeck/100%'],
      ['another host', 'app://elsewhere/index.html'],
    ])('answers %s with a 4xx, never a failure', async (_what, url) => {
      const res = await app.electron.protocol.request(url)
      expect(res).toMatchObject({ status: expect.any(Number) as number })
      if (!('status' in res)) return
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(res.body).not.toContain('root:')
    })

    it('had no unhandled rejection', () => {
      expect(unhandled).toEqual([])
    })

    it('keeps the window on the app: no navigation away, no new windows, no permissions', () => {
      const contents = app.window().webContents
      expect(contents.navigate('https://evil.example/')).toBe(false)
      expect(contents.navigate('file:///etc/passwd')).toBe(false)
      expect(contents.getURL()).toBe('app://tokendeck/index.html')
      expect(contents.navigate('app://tokendeck/index.html#/clusters')).toBe(true)

      expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' } as never)).toEqual({
        action: 'deny',
      })

      const session = app.electron.session
      let granted: boolean | undefined
      session.permissionRequest?.(contents as never, 'media', (ok) => (granted = ok), {} as never)
      expect(granted).toBe(false)
      expect(session.permissionCheck?.(null, 'notifications', 'app://tokendeck', {} as never)).toBe(
        false,
      )
      expect(session.devicePermission?.({} as never)).toBe(false)
    })
  },
)
