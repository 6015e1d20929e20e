/**
 * Who is asking, carried along the async call chain of one request (AsyncLocalStorage), so the
 * services that record audit events (sessions, tokens, clipboard) need no extra parameter on
 * every method: the agent server runs a client's request as `agent-client`, the tray's commands
 * run as `tray`, and everything else is the process's own actor (`app`, `cli`, `agent`).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { AuditActor } from '../../../shared/audit'

export interface AuditCaller {
  actor: AuditActor
  /** actor `agent-client`: the process that sent the request. */
  clientPid?: number
}

const current = new AsyncLocalStorage<AuditCaller>()

/** Runs `fn` (and everything it starts) on behalf of `caller`. */
export function asCaller<T>(caller: AuditCaller, fn: () => T): T {
  return current.run(caller, fn)
}

/** The caller of the request being served, if any was set. */
export function currentCaller(): AuditCaller | undefined {
  return current.getStore()
}
