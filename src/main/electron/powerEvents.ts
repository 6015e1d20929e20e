/**
 * Electron's powerMonitor as the core's source of lock events (core/lock/screenLock.ts decides
 * what to do with them). Only forwards: 'lock-screen' / 'unlock-screen' (macOS, Windows) and
 * 'suspend' / 'resume' (every platform). Must be called once the app is ready.
 */
import { powerMonitor } from 'electron'
import { LOCK_EVENTS, type LockEventSource } from '../core/lock/screenLock'

export function powerMonitorLockEvents(): LockEventSource {
  return {
    subscribe(listener) {
      const handlers = LOCK_EVENTS.map((name) => {
        const handler = () => listener(name)
        // powerMonitor's typings list each event in its own overload.
        powerMonitor.on(name as 'suspend', handler)
        return [name, handler] as const
      })
      return () => {
        for (const [name, handler] of handlers) powerMonitor.off(name as 'suspend', handler)
      }
    },
  }
}
