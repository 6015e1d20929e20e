/** `npm run demo`: Tokendeck on three simulated clusters, in the demo profile (lib/launch.ts). */
import { runDemo, runMain } from './lib/launch'

const USAGE = `Usage: npm run demo

Starts the WEKA, Qumulo and Swarm simulators on this machine, registers them as the demo
profile's clusters ("Demo WEKA", "Demo Qumulo", "Demo Swarm", pinned to the simulators'
certificates), prints the demo users and opens Tokendeck on them. The first run downloads
Electron's binary, as \`npm start\` does; without Electron it says why and keeps the simulators
running until Ctrl-C.
`

runMain('demo', process.argv.slice(2), USAGE, () => runDemo('npm run demo'))
