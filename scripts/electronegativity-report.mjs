// Prints electronegativity's findings and whether security/electronegativity.md explains each.
import { existsSync, readFileSync } from 'node:fs'

const [reportFile, explainedFile] = process.argv.slice(2)
if (!existsSync(reportFile) || readFileSync(reportFile, 'utf8').trim() === '') {
  console.log('electronegativity: no report (advisory, skipped)')
  process.exit(0)
}
const explained = readFileSync(explainedFile, 'utf8')
const rows = readFileSync(reportFile, 'utf8').trim().split('\n').slice(1)
let unexplained = 0
for (const row of rows) {
  const cells = row.split(',').map((c) => c.replace(/^"|"$/g, ''))
  // The tool's CSV writer now and then garbles the start of a row; every row still ends with
  // the check's wiki URL, which names it.
  const issue = /wiki\/([A-Z_]+)\s*$/.exec(row)?.[1] ?? cells[0]
  const [, severity, , file] = /^[A-Z_]+_CHECK$/.test(cells[0] ?? '')
    ? cells
    : [issue, '?', '?', '?']
  const known = explained.includes(`| ${issue} |`)
  if (!known) unexplained++
  console.log(
    `electronegativity: ${known ? 'explained' : 'NEW      '} ${issue} (${severity}) in ${file}`,
  )
}
console.log(
  `electronegativity: ${rows.length} findings, ${unexplained} not explained in ${explainedFile}`,
)
