/**
 * Talking to the person at the terminal: hidden password entry, yes/no questions, and reading a
 * password from stdin for scripts. Prompts go to stderr so stdout stays clean for results.
 */
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { TokendeckError } from '../../shared/errors'
import { oneLine } from './output'

/** Questions can be asked only when someone is at a terminal. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY)
}

export class Cancelled extends Error {
  constructor() {
    super('Cancelled.')
  }
}

/** Asks for a password with echo off. The answer is never written anywhere. */
export function askHidden(prompt: string): Promise<string> {
  let muted = false
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) process.stderr.write(chunk)
      callback()
    },
  })
  const rl = createInterface({ input: process.stdin, output: sink, terminal: true })
  process.stderr.write(oneLine(prompt))
  muted = true
  return new Promise<string>((resolve, reject) => {
    let settled = false
    const finish = (result: { line: string } | { cancelled: true }) => {
      if (settled) return
      settled = true
      rl.close()
      process.stderr.write('\n')
      if ('line' in result) resolve(result.line)
      else reject(new Cancelled())
    }
    rl.once('line', (line) => finish({ line }))
    rl.once('SIGINT', () => finish({ cancelled: true }))
    rl.once('close', () => finish({ cancelled: true }))
  })
}

/** A yes/no question; anything but y/yes is no. */
export function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  return new Promise<boolean>((resolve, reject) => {
    let settled = false
    rl.once('SIGINT', () => {
      if (settled) return
      settled = true
      rl.close()
      process.stderr.write('\n')
      reject(new Cancelled())
    })
    rl.once('close', () => {
      if (!settled) {
        settled = true
        resolve(false)
      }
    })
    // Questions quote names and ids a server chose: nothing in them may drive the terminal.
    rl.question(`${oneLine(question)} [y/N] `, (answer) => {
      settled = true
      rl.close()
      resolve(/^\s*y(es)?\s*$/i.test(answer))
    })
  })
}

const MAX_LINE_BYTES = 8192

/** Reads one line from stdin (`--password-stdin`): up to the first newline or the end of input. */
export async function readLineFromStdin(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  return (await readLinesFromStdin(1, input))[0] ?? ''
}

/**
 * Reads `count` lines from stdin (`--password-stdin --new-password-stdin`: the current password,
 * then the new one). Fewer lines before the end of input give fewer entries.
 */
export function readLinesFromStdin(
  count: number,
  input: NodeJS.ReadStream = process.stdin,
): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    let buffered = Buffer.alloc(0)
    const lines: string[] = []
    const cleanup = () => {
      input.off('data', onData)
      input.off('end', onEnd)
      input.off('error', onError)
      // Whatever follows the lines is not ours; stop reading so the process can exit.
      input.destroy()
    }
    const take = (bytes: Buffer) => lines.push(bytes.toString('utf8').replace(/\r$/, ''))
    const onData = (chunk: Buffer | string) => {
      buffered = Buffer.concat([buffered, typeof chunk === 'string' ? Buffer.from(chunk) : chunk])
      let nl = buffered.indexOf(0x0a)
      while (nl >= 0 && lines.length < count) {
        take(buffered.subarray(0, nl))
        buffered = buffered.subarray(nl + 1)
        nl = buffered.indexOf(0x0a)
      }
      if (lines.length >= count) {
        cleanup()
        resolve(lines)
      } else if (buffered.length > MAX_LINE_BYTES) {
        cleanup()
        reject(
          new TokendeckError(
            'INVALID_INPUT',
            `The line read from stdin is longer than ${MAX_LINE_BYTES} bytes.`,
          ),
        )
      }
    }
    const onEnd = () => {
      cleanup()
      if (buffered.length > 0 || lines.length === 0) take(buffered)
      resolve(lines)
    }
    const onError = () => {
      cleanup()
      reject(new TokendeckError('INVALID_INPUT', 'Could not read from stdin.'))
    }
    input.on('data', onData)
    input.once('end', onEnd)
    input.once('error', onError)
  })
}
