/**
 * Running the tools a user pastes Tokendeck's output into (bash, curl) from a test, and saying
 * why a test skips when one is missing. Asynchronous on purpose: the simulators answer from the
 * test's own process, so a synchronous child would deadlock against them.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Not a speed budget: a tool that has not exited by then is hung. */
const HANG_GUARD_MS = 5 * 60_000

export interface ToolResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `file args…` to its exit; a non-zero exit is a result, not an exception. */
export async function runTool(file: string, args: string[]): Promise<ToolResult> {
  try {
    const r = await run(file, args, { encoding: 'utf8', timeout: HANG_GUARD_MS })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof err.code === 'number' ? err.code : -1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    }
  }
}

/** `bash -c script`. */
export const bash = (script: string): Promise<ToolResult> => runTool('bash', ['-c', script])

/** Why a test that needs `tool` must skip, or undefined when `tool --version` runs. */
export async function toolMissingReason(tool: string, hint = ''): Promise<string | undefined> {
  const r = await runTool(tool, ['--version'])
  return r.code === 0 ? undefined : `${tool} is not installed${hint ? ` (${hint})` : ''}`
}

/** curl, needed wherever a test pastes what Tokendeck printed into a real curl. */
export const curlMissingReason = () =>
  toolMissingReason('curl', 'add it to the apt packages of .ci/run')
