/**
 * Gives a Playwright page the same `window.tokendeck` the preload gives the app, bridged to the
 * real dispatcher running in the test process — no mocks between the page and the core. Every
 * payload that crosses to the page is recorded, so tests can assert what the renderer saw.
 *
 * Replies cross as one JSON string, parsed in the page: Playwright's serializer walks every
 * object of a reply, which made a 1,000-cluster list take seconds (bench/browser.ts does the same).
 */
import type { Page } from 'playwright-core'
import type { Dispatcher } from '../../src/main/core/dispatch'
import { EVENT_CHANNEL, type TokendeckEvent } from '../../src/shared/contract'

export interface Bridge {
  /** Everything sent to the page: invoke results and events, in order. */
  sent: unknown[]
  emit(event: TokendeckEvent): Promise<void>
}

export async function installBridge(page: Page, dispatcher: Dispatcher): Promise<Bridge> {
  const sent: unknown[] = []
  await page.exposeBinding(
    '__tokendeckInvoke',
    async (_source, channel: unknown, input: unknown) => {
      const result = await dispatcher.invoke(channel, input)
      sent.push(result)
      return JSON.stringify(result)
    },
  )
  // Mirrors src/preload/index.ts: invoke + onEvent, nothing else.
  await page.addInitScript((eventName: string) => {
    type Listener = (e: unknown) => void
    const listeners = new Set<Listener>()
    const w = window as unknown as Record<string, unknown>
    const invoke = w['__tokendeckInvoke'] as (c: unknown, i: unknown) => Promise<string>
    window.addEventListener(eventName, (e) => {
      for (const l of listeners) l((e as CustomEvent).detail)
    })
    Object.defineProperty(window, 'tokendeck', {
      value: Object.freeze({
        invoke: async (channel: unknown, input: unknown) =>
          JSON.parse(await invoke(channel, input)) as unknown,
        onEvent: (listener: Listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
      }),
      writable: false,
    })
  }, EVENT_CHANNEL)
  return {
    sent,
    async emit(event) {
      sent.push(event)
      await page.evaluate(
        ([name, detail]) => window.dispatchEvent(new CustomEvent(name, { detail })),
        [EVENT_CHANNEL, event] as const,
      )
    },
  }
}
