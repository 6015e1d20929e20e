/**
 * - Quitting clears a value Tokendeck copied even when the timed clear is "never" (the README
 *   promises it), unless the user opted out of clearing on quit.
 * - Input the contract refuses is explained in the user's terms and units, without internal
 *   channel names or schema text.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../sim/common/clock'
import { startCoreHarness, type CoreHarness } from '../harness'
import {
  ClipboardService,
  MemoryClipboard,
} from '../../../src/main/core/clipboard/clipboardService'

type Failure = { ok: false; error: { code: string; message: string } }

describe('clipboard on quit', () => {
  const noTimers = { setTimeout: () => undefined, clearTimeout: () => undefined }

  it('"never" clears on quit; an opt-out keeps it; a value the user copied since is never wiped', () => {
    const board = new MemoryClipboard()
    const svc = new ClipboardService(board, () => 0, noTimers)
    expect(svc.copy('tok-never-1')).toEqual({ clearsInSeconds: 0 })
    svc.clearNow()
    expect(board.readText()).toBe('')

    let optedOut = true
    const kept = new ClipboardService(
      board,
      () => 0,
      noTimers,
      () => !optedOut,
    )
    kept.copy('tok-kept-2')
    kept.clearNow()
    expect(board.readText()).toBe('tok-kept-2')

    optedOut = false
    kept.copy('tok-3')
    board.writeText('something the user copied', { sensitive: false })
    kept.clearNow()
    expect(board.readText()).toBe('something the user copied')
  })
})

describe('core on quit, and input in words', () => {
  let h: CoreHarness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('quitting the core clears a copy made with "never", unless clipboardClearOnQuit is off', async () => {
    h = await startCoreHarness(systemClock)
    const settings = await h.core.dispatcher.invoke('settings:update', {
      clipboardClearSeconds: 0,
    })
    expect(settings).toMatchObject({ ok: true, value: { clipboardClearOnQuit: true } })
    await h.core.dispatcher.invoke('clipboard:copyShownSecret', { value: 'shown-once-secret' })
    expect(h.clipboard.readText()).toBe('shown-once-secret')
    await h.core.close()
    expect(h.clipboard.readText()).toBe('')
    await h.close()

    h = await startCoreHarness(systemClock)
    await h.core.dispatcher.invoke('settings:update', {
      clipboardClearSeconds: 0,
      clipboardClearOnQuit: false,
    })
    await h.core.dispatcher.invoke('clipboard:copyShownSecret', { value: 'kept-on-purpose' })
    await h.core.close()
    expect(h.clipboard.readText()).toBe('kept-on-purpose')
  })

  it('refused input names the field and units, never a channel or schema text', async () => {
    h = await startCoreHarness(systemClock)
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'tokens:createWarnings',
        { clusterId: 'abc', expiresIn: 0 },
        /^The token lifetime must be at least 1 minute\.$/,
      ],
      [
        'tokens:create',
        { clusterId: 'abc', expiresIn: 20 * 365 * 86_400 },
        /^The token lifetime must be at most 3650 days\.$/,
      ],
      ['clusters:probe', { url: 'not a url' }, /^The cluster URL is not a valid URL/],
      ['clusters:probe', { url: 'http://127.0.0.1:1' }, /^The cluster URL must use https:\/\//],
      ['session:signIn', { clusterId: 'abc', password: '' }, /^The password is empty\.$/],
      ['clusters:get', {}, /^The cluster id is missing\.$/],
    ]
    for (const [channel, input, words] of cases) {
      const r = (await h.core.dispatcher.invoke(channel, input)) as Failure
      expect(r.ok).toBe(false)
      expect(r.error.code).toBe('INVALID_INPUT')
      expect(r.error.message).toMatch(words)
      expect(r.error.message).not.toMatch(
        /:[a-zA-Z]+:|invalid input for|Too small|expected number|>=/,
      )
    }
  })
})
