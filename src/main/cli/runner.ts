/** Runs one command's body with a core opened for it and always closed after, and keeps its exit code. */
import type { Command } from 'commander'
import { CliContext, type GlobalOptions } from './context'
import { EXIT, type ExitCode } from './exitCodes'
import { Output } from './output'

export class Runner {
  exitCode: ExitCode = EXIT.OK
  /** Set as soon as a command starts, so errors are printed in the mode it asked for. */
  out: Output | undefined

  global(cmd: Command): GlobalOptions {
    const o = cmd.optsWithGlobals<{ json?: boolean; profile?: string }>()
    return { json: o.json === true, profile: o.profile === 'demo' ? 'demo' : 'default' }
  }

  output(cmd: Command): Output {
    this.out ??= new Output(this.global(cmd).json)
    return this.out
  }

  /** `before` runs without a core (argument checks that need nothing else). */
  async run(
    cmd: Command,
    needs: { keychain: boolean },
    body: (ctx: CliContext, out: Output) => Promise<ExitCode | void>,
  ): Promise<void> {
    const out = this.output(cmd)
    const ctx = await CliContext.open(this.global(cmd), out, needs)
    try {
      const code = await body(ctx, out)
      if (code !== undefined) this.exitCode = code
    } finally {
      await ctx.close()
    }
  }
}
