/**
 * The notification policy driven by sequences of session states and a fake clock: one notice per
 * failure streak, sign-out on REFRESH_EXPIRED, one expiry warning per crossing with a key that
 * later notices about the same credential reuse (so they replace it), toggles, certificates.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type SessionState, type Settings } from '../../../src/shared/model'
import {
  NotificationPolicy,
  type Notice,
  type NoticeUpdate,
} from '../../../src/main/core/notify/notificationPolicy'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const T0 = Date.UTC(2025, 5, 1, 12)

const active = (expiresAt = T0 + 5 * MIN): SessionState => ({ state: 'active', expiresAt })
const refreshing: SessionState = { state: 'refreshing' }
const failed = (retryAt?: number): SessionState => ({
  state: 'failed',
  error: { code: 'UNREACHABLE', message: 'Cannot reach prod-weka: check the network' },
  ...(retryAt !== undefined ? { retryAt } : {}),
})
const ended: SessionState = {
  state: 'signed-out',
  reason: {
    code: 'REFRESH_EXPIRED',
    message: 'The session on Prod WEKA has ended: sign in again.',
  },
}

let settings: Settings
let policy: NotificationPolicy
/** Feeds states in order, remembering the previous one, and collects every update. */
let last: Map<string, SessionState>
function feed(clusterId: string, ...states: SessionState[]): NoticeUpdate {
  const all: NoticeUpdate = { show: [], close: [] }
  for (const next of states) {
    const u = policy.sessionChanged(clusterId, last.get(clusterId), next)
    last.set(clusterId, next)
    all.show.push(...u.show)
    all.close.push(...u.close)
  }
  return all
}
const kinds = (notices: Notice[]) => notices.map((n) => n.kind)

beforeEach(() => {
  settings = structuredClone(DEFAULT_SETTINGS)
  last = new Map()
  policy = new NotificationPolicy({
    settings: () => settings,
    clusterName: (id) => ({ 'prod-weka': 'Prod WEKA', swarm: 'Swarm EU' })[id],
  })
})

describe('refresh failed', () => {
  it('notifies once per failure streak, not on every retry', () => {
    feed('prod-weka', { state: 'signing-in' }, active(), refreshing)
    const first = feed('prod-weka', failed(T0 + MIN))
    expect(first.show).toHaveLength(1)
    expect(first.show[0]).toMatchObject({
      key: 'prod-weka:credential',
      clusterId: 'prod-weka',
      kind: 'refresh-failed',
      title: "Couldn't refresh Prod WEKA",
    })
    expect(first.show[0]!.body).toBe(
      'Cannot reach prod-weka: check the network. Tokendeck keeps retrying on its own.',
    )
    const retries = feed(
      'prod-weka',
      refreshing,
      failed(T0 + 2 * MIN),
      refreshing,
      failed(T0 + 4 * MIN),
    )
    expect(retries.show).toEqual([])
  })

  it('resets on recovery: the next failure is a new streak, and recovery takes the notice down', () => {
    feed('prod-weka', active(), refreshing, failed(T0 + MIN), refreshing)
    const recovered = feed('prod-weka', active())
    expect(recovered.close).toEqual(['prod-weka:credential'])
    expect(kinds(feed('prod-weka', refreshing, failed(T0 + MIN)).show)).toEqual(['refresh-failed'])
  })

  it('stays quiet about a sign-in the user is watching fail', () => {
    expect(feed('prod-weka', { state: 'signing-in' }, failed()).show).toEqual([])
    expect(
      feed('prod-weka', { state: 'signing-in' }, { state: 'untrusted', seenSha256: 'AB' }).show,
    ).toEqual([])
  })

  it('says what to do when no retry is coming', () => {
    const u = feed('prod-weka', active(), refreshing, failed())
    expect(u.show[0]!.body).toMatch(/Open Tokendeck to sign in again\.$/)
  })
})

describe('signed out', () => {
  it('notifies when the stored credential expired or was revoked, replacing a failure notice', () => {
    const fail = feed('prod-weka', active(), refreshing, failed(T0 + MIN))
    const out = feed('prod-weka', refreshing, ended)
    expect(out.show).toHaveLength(1)
    expect(out.show[0]).toMatchObject({
      kind: 'signed-out',
      title: 'Signed out of Prod WEKA',
      key: fail.show[0]!.key,
    })
    expect(out.show[0]!.body).toBe(
      'The session on Prod WEKA has ended: sign in again. Sign in again to keep working.',
    )
    expect(feed('prod-weka', ended).show).toEqual([]) // the same news twice is not news
  })

  it('treats an ended Qumulo/Swarm session (expired, REFRESH_EXPIRED) the same way', () => {
    const u = feed('swarm', active(), {
      state: 'expired',
      reason: { code: 'REFRESH_EXPIRED', message: 'Ended.' },
    })
    expect(kinds(u.show)).toEqual(['signed-out'])
  })

  it('is silent when the user signs out, and signing in again takes the notice down', () => {
    expect(feed('prod-weka', active(), { state: 'signed-out' }).show).toEqual([])
    feed('prod-weka', active(), refreshing, ended)
    const back = feed('prod-weka', { state: 'signing-in' }, active())
    expect(back.close).toEqual(['prod-weka:credential'])
  })
})

describe('expiring soon', () => {
  it('notifies once when the stored credential crosses its threshold, with a replacing key', () => {
    const exp = T0 + 10 * HOUR
    feed('swarm', active(exp))
    // A 24 h Swarm token: warned 2 hours ahead.
    expect(
      policy.check(T0, [{ clusterId: 'swarm', storedExpiresAt: exp, storedLifetimeMs: DAY }]).show,
    ).toEqual([])
    const at = exp - 2 * HOUR
    const warn = policy.check(at, [
      { clusterId: 'swarm', storedExpiresAt: exp, storedLifetimeMs: DAY },
    ])
    expect(warn.show).toEqual([
      {
        key: 'swarm:credential',
        clusterId: 'swarm',
        kind: 'expiring',
        title: 'Swarm EU: sign-in expires in 2 hours',
        body: 'The stored session for Swarm EU ends in 2 hours. Sign in again before then to keep access.',
      },
    ])
    for (let t = at + MIN; t < exp; t += 10 * MIN) {
      expect(
        policy.check(t, [{ clusterId: 'swarm', storedExpiresAt: exp, storedLifetimeMs: DAY }]).show,
      ).toEqual([])
    }
    // The token then ends: the sign-out notice about it reuses the key and replaces the warning.
    const out = feed('swarm', refreshing, {
      state: 'expired',
      reason: { code: 'REFRESH_EXPIRED', message: 'Ended.' },
    })
    expect(out.show[0]!.key).toBe(warn.show[0]!.key)
  })

  it('uses days for long-lived credentials and does not re-announce one that slides forward', () => {
    const c = (t: number, exp: number) =>
      policy.check(t, [
        { clusterId: 'prod-weka', storedExpiresAt: exp, storedLifetimeMs: 30 * DAY },
      ])
    expect(c(T0, T0 + 8 * DAY).show).toEqual([])
    expect(kinds(c(T0 + DAY, T0 + 8 * DAY).show)).toEqual(['expiring'])
    // A renewal that moves the expiry later inside the window is the same crossing.
    expect(c(T0 + DAY + 5 * MIN, T0 + 8 * DAY + 5 * MIN).show).toEqual([])
  })

  it('re-arms after the credential leaves the window (signed in again), closing the stale warning', () => {
    const exp1 = T0 + HOUR
    expect(
      kinds(
        policy.check(T0, [{ clusterId: 'swarm', storedExpiresAt: exp1, storedLifetimeMs: DAY }])
          .show,
      ),
    ).toEqual(['expiring'])
    const exp2 = T0 + 25 * HOUR
    const renewed = policy.check(T0 + MIN, [
      { clusterId: 'swarm', storedExpiresAt: exp2, storedLifetimeMs: DAY },
    ])
    expect(renewed).toEqual({ show: [], close: ['swarm:credential'] })
    const again = policy.check(exp2 - HOUR, [
      { clusterId: 'swarm', storedExpiresAt: exp2, storedLifetimeMs: DAY },
    ])
    expect(kinds(again.show)).toEqual(['expiring'])
    expect(again.show[0]!.key).toBe('swarm:credential')
  })

  it('announces a different credential that expires sooner', () => {
    expect(
      kinds(
        policy.check(T0, [
          { clusterId: 'swarm', storedExpiresAt: T0 + HOUR, storedLifetimeMs: DAY },
        ]).show,
      ),
    ).toEqual(['expiring'])
    expect(
      kinds(
        policy.check(T0, [
          { clusterId: 'swarm', storedExpiresAt: T0 + 30 * MIN, storedLifetimeMs: DAY },
        ]).show,
      ),
    ).toEqual(['expiring'])
  })

  it('says nothing about a credential without an expiry or already dead', () => {
    expect(
      policy.check(T0, [
        { clusterId: 'swarm' },
        { clusterId: 'prod-weka', storedExpiresAt: T0 - 1 },
      ]).show,
    ).toEqual([])
  })
})

describe('certificate changed', () => {
  it('notifies once when a cluster presents a different certificate, and closes on re-trust', () => {
    const u = feed('prod-weka', active(), refreshing, { state: 'untrusted', seenSha256: 'AB:CD' })
    expect(u.show).toEqual([
      {
        key: 'prod-weka:certificate',
        clusterId: 'prod-weka',
        kind: 'certificate-changed',
        title: 'Certificate of Prod WEKA changed',
        body: 'Tokendeck stopped talking to this cluster. Open it to review the new certificate before trusting it.',
      },
    ])
    expect(feed('prod-weka', { state: 'untrusted', seenSha256: 'AB:CD' }).show).toEqual([])
    expect(feed('prod-weka', refreshing, active()).close).toEqual(['prod-weka:certificate'])
  })
})

describe('toggles', () => {
  it('suppress each kind when off', () => {
    settings.notifications = {
      refreshFailed: false,
      signedOut: false,
      expiring: false,
      certificateChanged: false,
    }
    expect(
      feed('prod-weka', active(), refreshing, failed(T0 + MIN), refreshing, ended).show,
    ).toEqual([])
    expect(
      feed('swarm', active(), refreshing, { state: 'untrusted', seenSha256: 'AB' }).show,
    ).toEqual([])
    expect(
      policy.check(T0, [{ clusterId: 'swarm', storedExpiresAt: T0 + HOUR, storedLifetimeMs: DAY }])
        .show,
    ).toEqual([])
  })

  it('leave the other kinds on', () => {
    settings.notifications.refreshFailed = false
    expect(feed('prod-weka', active(), refreshing, failed(T0 + MIN)).show).toEqual([])
    expect(kinds(feed('prod-weka', refreshing, ended).show)).toEqual(['signed-out'])
  })
})

describe('forget', () => {
  it('takes down every notice of a removed cluster', () => {
    feed('prod-weka', active(), refreshing, failed(T0 + MIN), {
      state: 'untrusted',
      seenSha256: 'AB',
    })
    expect(policy.forget('prod-weka').close.sort()).toEqual([
      'prod-weka:certificate',
      'prod-weka:credential',
    ])
    expect(policy.forget('prod-weka').close).toEqual([])
  })
})

it('never puts a secret in a notice', () => {
  const secret = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig'
  const u = feed('prod-weka', active(), refreshing, failed(T0 + MIN), refreshing, ended, {
    state: 'untrusted',
    seenSha256: secret,
  })
  const e = policy.check(T0, [
    { clusterId: 'prod-weka', storedExpiresAt: T0 + HOUR, storedLifetimeMs: DAY },
  ])
  for (const n of [...u.show, ...e.show])
    expect(`${n.title} ${n.body} ${n.key}`).not.toContain(secret)
})
