/**
 * The core's log: JSON lines with a level, a scope and a message. Callers pass codes, ids, states
 * and messages built for users — never a token, password or reply body — and the secret-hygiene
 * test holds them to it by scanning every log the test suite writes.
 *
 * Where it goes: TOKENDECK_LOG_FILE if set; else, when TOKENDECK_HYGIENE_DIR is set (the test
 * runner), a file per process there; else warnings and errors to stderr.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export type LogFields = Record<string, string | number | boolean | undefined>

export interface Logger {
  error(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  debug(message: string, fields?: LogFields): void
  child(scope: string): Logger
}

export type LogSink = (line: string) => void

export function createLogger(options: {
  level: LogLevel
  sink: LogSink
  scope?: string
  now?: () => number
}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level)
  const now = options.now ?? Date.now
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(level) > threshold) return
    options.sink(
      JSON.stringify({
        t: new Date(now()).toISOString(),
        level,
        scope: options.scope ?? 'core',
        msg: message,
        ...fields,
      }),
    )
  }
  return {
    error: (m, f) => write('error', m, f),
    warn: (m, f) => write('warn', m, f),
    info: (m, f) => write('info', m, f),
    debug: (m, f) => write('debug', m, f),
    child: (scope) =>
      createLogger({ ...options, scope: options.scope ? `${options.scope}.${scope}` : scope }),
  }
}

/** Appends synchronously: a crash must not lose the lines that explain it. */
export function fileSink(path: string): LogSink {
  return (line) => appendFileSync(path, line + '\n', { mode: 0o600 })
}

export function loggerFromEnvironment(env: NodeJS.ProcessEnv = process.env): Logger {
  const requested = env['TOKENDECK_LOG_LEVEL'] as LogLevel | undefined
  const level: LogLevel = requested && LOG_LEVELS.includes(requested) ? requested : 'info'
  if (env['TOKENDECK_LOG_FILE'])
    return createLogger({ level, sink: fileSink(env['TOKENDECK_LOG_FILE']) })
  if (env['TOKENDECK_HYGIENE_DIR']) {
    mkdirSync(env['TOKENDECK_HYGIENE_DIR'], { recursive: true })
    return createLogger({
      level,
      sink: fileSink(join(env['TOKENDECK_HYGIENE_DIR'], `core-${process.pid}.log`)),
    })
  }
  return createLogger({
    level: level === 'debug' || level === 'info' ? 'warn' : level,
    sink: (line) => process.stderr.write(line + '\n'),
  })
}
