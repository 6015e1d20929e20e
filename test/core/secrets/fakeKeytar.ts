// A keytar stand-in for tests that must see every call: an in-memory keychain of one or more
// services that records what was asked. It has exactly the three functions the store may use
// (no findCredentials), so a store that tried to list would fail loudly.
import type { KeytarApi } from '../../../src/main/core/secrets/keytarStore'

export type KeytarOp = 'getPassword' | 'setPassword' | 'deletePassword'

export interface KeytarCall {
  op: KeytarOp
  service: string
  account: string
}

export interface RecordingKeytar extends KeytarApi {
  readonly calls: KeytarCall[]
  /** `${service}\n${account}` → stored password; shared when passed in. */
  readonly entries: Map<string, string>
  /** The stored password of an account, for assertions. */
  peek(service: string, account: string): string | undefined
  /** Runs before every call; may throw (to fail it) or wait (to interleave another "process"). */
  before?: (call: KeytarCall) => void | Promise<void>
}

export const entryKey = (service: string, account: string): string => `${service}\n${account}`

export function recordingKeytar(entries = new Map<string, string>()): RecordingKeytar {
  const calls: KeytarCall[] = []
  const fake: RecordingKeytar = {
    calls,
    entries,
    peek: (service, account) => entries.get(entryKey(service, account)),
    async getPassword(service, account) {
      const call: KeytarCall = { op: 'getPassword', service, account }
      calls.push(call)
      await fake.before?.(call)
      return entries.get(entryKey(service, account)) ?? null
    },
    async setPassword(service, account, password) {
      const call: KeytarCall = { op: 'setPassword', service, account }
      calls.push(call)
      await fake.before?.(call)
      entries.set(entryKey(service, account), password)
    },
    async deletePassword(service, account) {
      const call: KeytarCall = { op: 'deletePassword', service, account }
      calls.push(call)
      await fake.before?.(call)
      return entries.delete(entryKey(service, account))
    },
  }
  return fake
}
