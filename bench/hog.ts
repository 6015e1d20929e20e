/**
 * A CPU hog beside the refresh pass: one child process per core, each spinning (`for (;;)`), so
 * the engine, the simulator and the keyring daemon get roughly half the machine they had — what
 * a build or a video call does to a laptop while its sessions come due.
 *
 * The children must never outlive the benchmark:
 *  - `stop()` (called from a `finally`) SIGKILLs them and waits until they are gone;
 *  - a process 'exit' hook SIGKILLs whatever is left if the benchmark ends any other way that
 *    still runs JavaScript (an exception, process.exit);
 *  - each child checks every few milliseconds that its parent is still the one that started it
 *    and exits otherwise, which covers a benchmark killed by a signal (SIGKILL included), when
 *    no JavaScript of ours runs any more.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** The child: spin, and every ~10^7 iterations make sure the benchmark is still its parent. */
export function hogScript(parentPid: number): string {
  return (
    `const parent = ${parentPid};` +
    `for (;;) {` +
    ` for (let i = 0; i < 1e7; i++) {}` +
    ` if (process.ppid !== parent) process.exit(0);` +
    `}`
  )
}

const live = new Set<ChildProcess>()
let exitHookInstalled = false

function killAllNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** utime + stime of a process in seconds (Linux /proc), or undefined elsewhere. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    const ticks = Number(fields[11]) + Number(fields[12])
    // USER_HZ is 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    return Number.isFinite(ticks) ? ticks / 100 : undefined
  } catch {
    return undefined
  }
}

export interface CpuHog {
  readonly processes: number
  /** CPU seconds the children have used so far (Linux), undefined where unknown. */
  cpuSeconds(): number | undefined
  /** Kills every child and resolves once they have exited. */
  stop(): Promise<void>
}

/** Starts `processes` spinning children; resolves once each has started (spawned). */
export async function startCpuHog(processes: number): Promise<CpuHog> {
  if (!exitHookInstalled) {
    process.on('exit', killAllNow)
    exitHookInstalled = true
  }
  const children: ChildProcess[] = []
  try {
    for (let i = 0; i < processes; i++) {
      const child = spawn(process.execPath, ['-e', hogScript(process.pid)], {
        stdio: 'ignore',
      })
      live.add(child)
      child.once('exit', () => live.delete(child))
      children.push(child)
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve)
        child.once('error', reject)
      })
    }
  } catch (e) {
    for (const c of children) c.kill('SIGKILL')
    throw e
  }
  return {
    processes,
    cpuSeconds() {
      let sum = 0
      for (const c of children) {
        const s = c.pid === undefined ? undefined : cpuSecondsOf(c.pid)
        if (s === undefined) return undefined
        sum += s
      }
      return sum
    },
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve()
              c.once('exit', () => resolve())
              c.kill('SIGKILL')
            }),
        ),
      )
    },
  }
}
