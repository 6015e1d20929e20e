/**
 * `npm run sim`: the WEKA, Qumulo and Swarm simulators on loopback until Ctrl-C, for trying the
 * app, the command line or a browser against something real. Prints each simulator's URL,
 * certificate fingerprint and demo users; with --json, exactly one JSON object on the first line.
 */
import { parseArgs } from 'node:util'
import {
  describeError,
  describeSims,
  formatSims,
  isLoopbackHost,
  SIM_NAMES,
  startAllSims,
} from './cli/sims'
import { parsePort, untilSignal, UsageError } from './cli/args'
import { FAULT_HELP, parseFaults, parseFaultTargets } from './cli/faultArgs'

const USAGE = `Usage: npm run sim -- [options]

Starts the WEKA, Qumulo and Swarm simulators on this machine (HTTPS, self-signed certificates)
and serves until Ctrl-C.

Options:
  --json              print one JSON object on the first line: { weka, qumulo, swarm }, each
                      { url, fingerprint, users: [{ username, password, role, tenant?, domain? }] }
                      (swarm also has s3Url); a role containing "admin" marks the administrator
  --host HOST         loopback address to listen on (default 127.0.0.1; ::1 and localhost also
                      work; other addresses are refused)
  --weka-port N       port for WEKA   (default 0: any free port)
  --qumulo-port N     port for Qumulo (default 0)
  --swarm-port N      port for Swarm  (default 0)
  -h, --help          show this help

${FAULT_HELP}

With --json through npm, add -s (\`npm run -s sim -- --json\`): otherwise npm prints its own
"> tokendeck sim" banner on stdout before the JSON line.
`

async function main(argv: string[]): Promise<number> {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        json: { type: 'boolean', default: false },
        host: { type: 'string', default: '127.0.0.1' },
        'weka-port': { type: 'string' },
        'qumulo-port': { type: 'string' },
        'swarm-port': { type: 'string' },
        fault: { type: 'string', multiple: true, default: [] },
        'fault-on': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }))
  } catch (e) {
    return usageError(describeError(e))
  }
  if (values.help) {
    process.stdout.write(USAGE)
    return 0
  }
  let ports
  let faults
  let faultTargets
  try {
    faults = parseFaults(values.fault)
    faultTargets = parseFaultTargets(values['fault-on'], SIM_NAMES)
    if (!isLoopbackHost(values.host)) {
      throw new UsageError(
        `--host ${values.host} is not a loopback address. The simulators hand out demo passwords ` +
          'and are for this machine only: use 127.0.0.1 (default), ::1 or localhost.',
      )
    }
    ports = {
      weka: parsePort(values['weka-port'], '--weka-port'),
      qumulo: parsePort(values['qumulo-port'], '--qumulo-port'),
      swarm: parsePort(values['swarm-port'], '--swarm-port'),
    }
  } catch (e) {
    return usageError(describeError(e))
  }

  let sims
  try {
    sims = await startAllSims({ host: values.host, ports })
  } catch (e) {
    console.error(`sim: ${describeError(e)}`)
    return 1
  }
  for (const name of faultTargets) sims[name].faults.set(faults)
  const faultNote = Object.keys(faults).length
    ? `Faults on ${faultTargets.join(', ')}: ${Object.keys(faults).join(', ')}.\n`
    : ''
  const info = describeSims(sims)
  // Listen for Ctrl-C before saying we serve: whoever reads that line may signal at once.
  const stopped = untilSignal()
  if (values.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`)
    if (faultNote) console.error(`sim: ${faultNote.trim()}`)
    console.error('sim: serving; Ctrl-C (SIGINT) or SIGTERM stops the simulators.')
  } else {
    process.stdout.write(
      `Tokendeck simulators (demo data: these passwords protect nothing)\n\n${formatSims(info)}\n\n` +
        'Certificates are self-signed and new at every start: pin the SHA-256 shown above.\n' +
        faultNote +
        'Serving until Ctrl-C.\n',
    )
  }
  const signal = await stopped
  await sims.close()
  if (!values.json) process.stdout.write(`\nsim: ${signal}: simulators stopped.\n`)
  return 0
}

function usageError(message: string): number {
  console.error(`sim: ${message}\n\n${USAGE}`)
  return 2
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    console.error(`sim: ${describeError(e)}`)
    process.exitCode = 1
  },
)
