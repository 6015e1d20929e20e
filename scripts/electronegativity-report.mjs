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
  const [issue, severity, , file] = row.split(',').map((c) => c.replace(/^"|"$/g, ''))
  const known = explained.includes(`| ${issue} |`)
  if (!known) unexplained++
  console.log(
    `electronegativity: ${known ? 'explained' : 'NEW      '} ${issue} (${severity}) in ${file}`,
  )
}
console.log(
  `electronegativity: ${rows.length} findings, ${unexplained} not explained in ${explainedFile}`,
)
