// Renders build/*.svg to the PNG sizes Electron and the tray need, with Debian's Chromium.
// Run by hand after editing an icon: node scripts/render-icons.mjs
import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'

const targets = [
  ['build/icon.svg', 'build/icon.png', 512],
  ['build/tray-ok.svg', 'build/tray-ok.png', 16],
  ['build/tray-ok.svg', 'build/tray-ok@2x.png', 32],
  ['build/tray-warning.svg', 'build/tray-warning.png', 16],
  ['build/tray-warning.svg', 'build/tray-warning@2x.png', 32],
  ['build/tray-error.svg', 'build/tray-error.png', 16],
  ['build/tray-error.svg', 'build/tray-error@2x.png', 32],
]
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
})
for (const [svg, png, size] of targets) {
  const page = await browser.newPage({ viewport: { width: size, height: size } })
  const data = Buffer.from(readFileSync(svg)).toString('base64')
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><img src="data:image/svg+xml;base64,${data}" width="${size}" height="${size}"></body></html>`,
  )
  await page.screenshot({ path: png, omitBackground: true })
  await page.close()
}
await browser.close()
console.log(`rendered ${targets.length} icons`)
