/**
 * Chromium for the bridge and renderer benchmarks: Debian's Chromium through playwright-core
 * (test/support/chromium.ts), and the same `window.tokendeck` the preload exposes, bridged to a
 * real core's dispatcher with page.exposeBinding (as test/support/bridge.ts does; written here as
 * a plain script so this file needs no DOM types).
 *
 * Replies cross as one JSON string, parsed in the page: Playwright's own serializer walks every
 * object of a reply (a 1,000-cluster list took 2-4 s that way on a loaded 2-core machine, against
 * 0.4-0.7 s as a string), a cost of the test bridge that Electron's IPC (structured clone) does
 * not have. The page still gets plain objects, as from the app's preload.
 */
import type { Page } from 'playwright-core'
import type { Dispatcher } from '../src/main/core/dispatch'
import { EVENT_CHANNEL } from '../src/shared/contract'

export { launchChromium, CHROMIUM_PATH } from '../test/support/chromium'
export { serveDirectory } from '../test/support/staticServer'

export async function installBridge(page: Page, dispatcher: Dispatcher): Promise<void> {
  await page.exposeBinding('__tokendeckInvoke', async (_source, channel: unknown, input: unknown) =>
    JSON.stringify(await dispatcher.invoke(channel, input)),
  )
  await page.addInitScript({
    content: `(() => {
      const listeners = new Set()
      const invoke = window.__tokendeckInvoke
      window.addEventListener(${JSON.stringify(EVENT_CHANNEL)}, (e) => { for (const l of listeners) l(e.detail) })
      Object.defineProperty(window, 'tokendeck', {
        value: Object.freeze({
          invoke: async (channel, input) => JSON.parse(await invoke(channel, input)),
          onEvent: (listener) => { listeners.add(listener); return () => listeners.delete(listener) },
        }),
        writable: false,
      })
    })()`,
  })
}
