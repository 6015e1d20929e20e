/**
 * `tokendeck agent`: the owner of a profile's sessions without a window (SSH sessions, servers).
 * It keeps access tokens fresh in the background and serves every `tokendeck` command of the
 * profile through its socket, exactly as the app does. `agent status` and `agent stop` talk to
 * whoever owns.
 */
import type { Command } from 'commander'
import { TokendeckError } from '../../../shared/errors'
import { currentOwner, ownSessions } from '../../core/agent/sessionOwner'
import { dataDir } from '../../core/clusters'
import { startCore } from '../../core/startCore'
import { cliLogger } from '../cliLogger'
import { appVersion } from '../context'
import { inCliTerms } from '../keychainAdvice'
import { EXIT } from '../exitCodes'
import type { Runner } from '../runner'

export function registerAgent(program: Command, runner: Runner): void {
  const agent = program
    .command('agent')
    .description(
      'own this profile’s sessions without the app: keep them fresh and serve every tokendeck command (stops on Ctrl-C, SIGTERM or "agent stop")',
    )
    .option(
      '--session-only',
      'keep secrets in memory until the agent stops (nothing written to the keychain)',
    )
    .action(async (flags: { sessionOnly?: boolean }, cmd: Command) => {
      const global = runner.global(cmd)
      const out = runner.output(cmd)
      const dir = dataDir(global.profile)
      const owned = await ownSessions({
        role: 'agent',
        dataDir: dir,
        version: appVersion(),
        onWait: (o) => out.info(`Waiting for ${o.role} (process ${o.pid}) to finish…`),
        startCore: () =>
          startCore({
            profile: global.profile,
            appVersion: appVersion(),
            dataDir: dir,
            auditActor: 'agent',
            logger: cliLogger(),
            ...(flags.sessionOnly ? { sessionOnly: true } : {}),
          }),
      })
      // Listen for Ctrl-C and SIGTERM before saying we own: whoever reads that may signal at once.
      const stopping = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('interrupted'))
        process.once('SIGTERM', () => resolve('terminated'))
        void owned.handoverRequested.then(() => resolve('handed over'))
      })
      const core = owned.core
      for (const problem of core.startupProblems)
        out.warn(inCliTerms(problem.code, problem.message))
      const secrets = core.secrets.mode
      out.result({ pid: process.pid, socket: owned.path, dataDir: dir, secretStorage: secrets })
      out.info(
        `tokendeck agent (process ${process.pid}) owns the sessions of ${dir}` +
          (secrets === 'session-only'
            ? '; secrets are kept in memory only and are gone when it stops.'
            : '.'),
      )
      const stop = await stopping
      await owned.close()
      out.info(`tokendeck agent stopped (${stop}).`)
      runner.exitCode = EXIT.OK
    })

  agent
    .command('status')
    .description(
      'who owns this profile’s sessions: the app, an agent, a terminal command, or nobody',
    )
    .action(async (_flags: unknown, cmd: Command) => {
      const global = runner.global(cmd)
      const out = runner.output(cmd)
      const found = await currentOwner(dataDir(global.profile))
      if (!found) {
        out.result({ owner: null })
        out.line('Nobody owns the sessions now; each tokendeck command owns them while it runs.')
        return
      }
      found.client.close()
      out.result({ owner: found.hello })
      out.line(
        `Owned by ${found.hello.role} (process ${found.hello.pid}, Tokendeck ${found.hello.version}).`,
      )
    })

  agent
    .command('stop')
    .description('ask a running tokendeck agent to stop once what it is doing is done')
    .action(async (_flags: unknown, cmd: Command) => {
      const global = runner.global(cmd)
      const out = runner.output(cmd)
      const found = await currentOwner(dataDir(global.profile))
      if (!found)
        throw new TokendeckError('NOT_FOUND', 'No tokendeck agent is running for this profile.')
      if (found.hello.role !== 'agent') {
        found.client.close()
        throw new TokendeckError(
          'INVALID_INPUT',
          `The sessions are owned by ${found.hello.role === 'app' ? 'the app' : 'a tokendeck command'} (process ${found.hello.pid}), not by an agent.`,
        )
      }
      await found.client.handover()
      out.result({ stopped: found.hello.pid })
      out.line(`tokendeck agent (process ${found.hello.pid}) stopped.`)
    })
}
