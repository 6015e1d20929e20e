import { isLoopbackHost } from '../common/loopback'
/**
 * The three simulators started together, and what `npm run sim` / `npm run demo` tell the user
 * about them. Shared by test/sim/cli.ts and scripts/lib/launch.ts.
 */
import type { SimUser } from '../common/types'
import { startQumuloSim, type QumuloSim } from '../qumulo/index'
import { startSwarmSim, type SwarmSim } from '../swarm/index'
import { startWekaSim, type WekaSim } from '../weka/index'

export const SIM_NAMES = ['weka', 'qumulo', 'swarm'] as const
export type SimName = (typeof SIM_NAMES)[number]

export interface SimPorts {
  weka?: number
  qumulo?: number
  swarm?: number
}

export interface RunningSims {
  weka: WekaSim
  qumulo: QumuloSim
  swarm: SwarmSim
  /** Close all three (idempotent). */
  close(): Promise<void>
}

/** One simulator as `npm run sim -- --json` prints it. */
export interface SimInfo {
  url: string
  fingerprint: string
  users: SimUser[]
}

export interface SimsInfo {
  weka: SimInfo
  qumulo: SimInfo
  swarm: SimInfo & { s3Url: string }
}

/** Start WEKA, Qumulo and Swarm on `host` (loopback only). If one fails, the others are closed. */
export { isLoopbackHost }

export async function startAllSims(
  opts: { host?: string; ports?: SimPorts } = {},
): Promise<RunningSims> {
  const host = opts.host ?? '127.0.0.1'
  if (!isLoopbackHost(host)) {
    throw new Error(
      `refusing to listen on "${host}": the simulators are for this machine only (use 127.0.0.1, ::1 or localhost)`,
    )
  }
  const ports = opts.ports ?? {}
  const results = await Promise.allSettled([
    startWekaSim({ host, port: ports.weka ?? 0 }),
    startQumuloSim({ host, port: ports.qumulo ?? 0 }),
    startSwarmSim({ host, port: ports.swarm ?? 0 }),
  ])
  const [weka, qumulo, swarm] = results
  if (
    weka.status !== 'fulfilled' ||
    qumulo.status !== 'fulfilled' ||
    swarm.status !== 'fulfilled'
  ) {
    await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)))
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${SIM_NAMES[i]}: ${describeError(r.reason)}`] : [],
    )
    throw new Error(`could not start the simulators (${failed.join('; ')})`)
  }
  let closing: Promise<void> | undefined
  return {
    weka: weka.value,
    qumulo: qumulo.value,
    swarm: swarm.value,
    close: () =>
      (closing ??= Promise.all([
        weka.value.close(),
        qumulo.value.close(),
        swarm.value.close(),
      ]).then(() => undefined)),
  }
}

/** What to tell the user: URL, current certificate fingerprint and the seeded demo users. */
export function describeSims(sims: RunningSims): SimsInfo {
  return {
    weka: info(sims.weka),
    qumulo: info(sims.qumulo),
    swarm: { ...info(sims.swarm), s3Url: sims.swarm.s3Url },
  }
}

function info(sim: WekaSim | QumuloSim | SwarmSim): SimInfo {
  return {
    url: sim.url,
    fingerprint: sim.fingerprint,
    users: sim.users.map((u) => ({
      username: u.username,
      password: u.password,
      role: u.role,
      ...(u.tenant !== undefined ? { tenant: u.tenant } : {}),
      ...(u.domain !== undefined ? { domain: u.domain } : {}),
    })),
  }
}

/** The administrator a demo cluster signs in as: the first user whose role contains "admin" and
 * who belongs to no tenant (the cluster-wide one). */
export function adminOf(info: SimInfo): SimUser {
  const admins = info.users.filter((u) => /admin/i.test(u.role))
  const admin = admins.find((u) => u.tenant === undefined) ?? admins[0]
  if (admin === undefined) throw new Error('the simulator has no administrator')
  return admin
}

const LABELS: Record<SimName, string> = { weka: 'WEKA', qumulo: 'Qumulo', swarm: 'Swarm' }

/** A readable block per simulator: URL, fingerprint and a table of users. */
export function formatSims(info: SimsInfo): string {
  const blocks = SIM_NAMES.map((name) => {
    const sim = info[name]
    const lines = [
      `${LABELS[name]}`,
      `  URL          ${sim.url}`,
      ...('s3Url' in sim ? [`  S3 URL       ${sim.s3Url}`] : []),
      `  SHA-256      ${sim.fingerprint}`,
      ...table(
        ['username', 'password', 'role', 'tenant', 'domain'],
        sim.users.map((u) => [u.username, u.password, u.role, u.tenant ?? '', u.domain ?? '']),
      ).map((l) => `  ${l}`),
    ]
    return lines.join('\n')
  })
  return blocks.join('\n\n')
}

function table(header: string[], rows: string[][]): string[] {
  // Drop columns that are empty in every row (WEKA and Qumulo users have no domain, …).
  const keep = header.map((_, i) => rows.some((r) => (r[i] ?? '') !== ''))
  const cols = header.map((h, i) => [h, ...rows.map((r) => r[i] ?? '')]).filter((_, i) => keep[i])
  const widths = cols.map((c) => Math.max(...c.map((s) => s.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  const pick = (r: string[]) => r.filter((_, i) => keep[i])
  return [
    line(pick(header)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(pick(r))),
  ]
}

export function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
