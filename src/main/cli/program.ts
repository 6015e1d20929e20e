/**
 * The `tokendeck` command line: commander wiring, and the one place errors become messages and
 * exit codes (see exitCodes.ts). Never prints a stack trace, a password or a stored secret.
 */
import { Command, CommanderError, Option } from 'commander'
import { isTokendeckError } from '../../shared/errors'
import { registerAgent } from './commands/agent'
import { registerAudit } from './commands/audit'
import { registerImport } from './commands/import'
import { registerCert } from './commands/cert'
import { registerClusters } from './commands/clusters'
import { registerExec } from './commands/exec'
import { registerS3 } from './commands/s3'
import { registerSession } from './commands/session'
import { registerTokens } from './commands/tokens'
import { appVersion } from './context'
import { EXIT, EXIT_CODES_HELP, exitCodeFor } from './exitCodes'
import { Output, type Streams } from './output'
import { Cancelled } from './prompt'
import { Runner } from './runner'

export function buildProgram(runner: Runner, streams?: Streams): Command {
  const program = new Command('tokendeck')
  program
    .description(
      'Command-line companion of Tokendeck: the same clusters, keychain and sessions as the desktop app.\n' +
        '<cluster> is a cluster id or its exact name. TOKENDECK_HOME overrides the data directory.',
    )
    .version(appVersion(), '-V, --version')
    .option('--json', 'machine output: exactly one JSON value on stdout')
    .addOption(
      new Option('--profile <profile>', 'which data and keychain to use')
        .choices(['default', 'demo'])
        .default('default'),
    )
    .exitOverride()
    .configureOutput({
      ...(streams
        ? {
            writeOut: (s: string) => void streams.stdout.write(s),
            writeErr: (s: string) => void streams.stderr.write(s),
          }
        : {}),
      // Parse errors are reported once, by main(), in the same form as every other error.
      outputError: () => undefined,
    })
    .addHelpText('afterAll', EXIT_CODES_HELP)
  registerClusters(program, runner)
  registerSession(program, runner)
  registerTokens(program, runner)
  registerAgent(program, runner)
  registerExec(program, runner)
  registerCert(program, runner)
  registerS3(program, runner)
  registerAudit(program, runner)
  registerImport(program, runner)
  return program
}

/** Runs one command line (process.argv form) and returns the exit code. */
export async function main(argv: string[], streams?: Streams): Promise<number> {
  const runner = new Runner()
  const json = argv.slice(2).includes('--json')
  const program = buildProgram(runner, streams)
  try {
    await program.parseAsync(argv)
    return runner.exitCode
  } catch (e) {
    const out = runner.out ?? new Output(json, streams)
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT.OK
      if (e.code === 'commander.help' || e.code === 'commander.helpDisplayed') return EXIT.USAGE
      out.error({
        code: 'INVALID_INPUT',
        message: `${e.message.replace(/^error: /, '')} (see --help)`,
      })
      return EXIT.USAGE
    }
    if (e instanceof Cancelled) {
      out.error({ code: 'INVALID_INPUT', message: 'Cancelled; nothing was changed.' })
      return EXIT.ERROR
    }
    if (isTokendeckError(e)) {
      out.error(e.toInfo())
      if (e.code === 'TLS_PIN_MISMATCH' && e.seenSha256 && !json) {
        out.info(
          `The server now presents SHA-256 ${e.seenSha256}. If the change is expected (check with the ` +
            'cluster’s admin), trust it with: tokendeck clusters retrust <cluster>',
        )
      }
      return exitCodeFor(e.code)
    }
    out.error({ code: 'INTERNAL', message: 'Internal error; the command did not complete.' })
    return EXIT.ERROR
  }
}
