/**
 * The core's log in a CLI process. The CLI tells the user every problem itself, once, in words
 * (output.ts), so the core's warnings do not also go to the terminal as JSON lines: there only
 * errors do. A log file (TOKENDECK_LOG_FILE, or the test runner's hygiene directory) still gets
 * everything, as in the app.
 */
import { createLogger, loggerFromEnvironment, type Logger } from '../core/log'

export function cliLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  if (env['TOKENDECK_LOG_FILE'] || env['TOKENDECK_HYGIENE_DIR']) return loggerFromEnvironment(env)
  return createLogger({ level: 'error', sink: (line) => process.stderr.write(line + '\n') })
}
