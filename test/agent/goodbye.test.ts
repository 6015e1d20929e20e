/**
 * An owner finishing (its own command ended) while another terminal's request is on its way:
 * the request must come back as "not run" (OwnerGone started=false), so the client takes it to
 * the next owner, instead of "stopped before answering, not known whether this was done".
 * Seen in the full suite: two `tokendeck clusters tag` at once, one exited 1 with that message.
 */
import net from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentClient, OwnerGone } from '../../src/main/core/agent/agentClient'
import { AgentServer } from '../../src/main/core/agent/agentServer'
import type { OwnerApi } from '../../src/main/core/agent/ownerApi'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** An owner whose calls record what ran; `release` answers the one held. */
function owner() {
  const ran: string[] = []
  let release: (() => void) | undefined
  const api = {
    call: async (channel: string) => {
      ran.push(channel)
      if (channel === 'clusters:list') await new Promise<void>((r) => (release = r))
      return { ok: true, value: [] }
    },
  } as unknown as OwnerApi
  return { api, ran, release: () => release?.() }
}

async function serve(api: OwnerApi) {
  const dir = mkdtempSync(join(tmpdir(), 'tokendeck-goodbye-'))
  dirs.push(dir)
  const path = join(dir, 'agent.sock')
  const agent = new AgentServer({ api, role: 'cli', version: 'test' })
  const server = net.createServer(agent.accept)
  await new Promise<void>((resolve) => server.listen(path, resolve))
  const socket = net.connect(path)
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  const client = new AgentClient(socket)
  await client.handshake('cli')
  return { agent, server, client }
}

describe('an owner that finishes while a request is on its way', () => {
  it('answers what it started, and the request it never read comes back as not run', async () => {
    const o = owner()
    const { agent, server, client } = await serve(o.api)
    const started = client.call('clusters:list', undefined)
    await expect.poll(() => o.ran).toEqual(['clusters:list'])
    const drained = agent.drain()
    // Written while the owner finishes: it must never run, and the client must know that.
    const late = client.call('settings:get', undefined).then(
      () => 'answered',
      (e: unknown) => e,
    )
    o.release()
    await expect(started).resolves.toEqual({ ok: true, value: [] })
    const outcome = await late
    expect(outcome).toBeInstanceOf(OwnerGone)
    expect((outcome as OwnerGone).started).toBe(false)
    expect(o.ran).toEqual(['clusters:list'])
    await drained
    server.close()
  })

  it('a request written in the same moment the idle owner ends is not run, and says so', async () => {
    const o = owner()
    const { agent, server, client } = await serve(o.api)
    const drained = agent.drain()
    const outcome = await client.call('settings:get', undefined).then(
      () => 'answered',
      (e: unknown) => e,
    )
    expect(outcome).toBeInstanceOf(OwnerGone)
    expect((outcome as OwnerGone).started).toBe(false)
    expect(o.ran).toEqual([])
    await drained
    server.close()
  })
})
