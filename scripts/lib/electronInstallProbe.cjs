// Preloaded (`node --require`) into Electron's own installer, node_modules/electron/install.js,
// by electronDownload.ts. The installer reports a failure as a bare stack trace, and for a
// network error ("TypeError: fetch failed") not even the address or the reason. So this records
// what it asked for and what came back, as JSON lines in $TOKENDECK_ELECTRON_INSTALL_REPORT, and
// the parent turns that into one message. The download itself (URL, mirror, cache, proxy,
// checksums, progress bar) is @electron/get's, untouched.
'use strict'
const fs = require('node:fs')
const util = require('node:util')

const file = process.env.TOKENDECK_ELECTRON_INSTALL_REPORT
const record = (event) => {
  try {
    fs.appendFileSync(file, `${JSON.stringify(event)}\n`)
  } catch {
    // A report we cannot write only makes the parent's message vaguer.
  }
}

if (file) {
  const realFetch = globalThis.fetch
  // @electron/get looks `fetch` up at call time, so wrapping the global sees every request.
  globalThis.fetch = async function recordedFetch(input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    try {
      const res = await realFetch(input, init)
      record({ event: 'response', url, status: res.status, statusText: res.statusText })
      return res
    } catch (e) {
      // undici puts the reason in `cause`; a dual-stack connect gives an AggregateError.
      const cause = e && e.cause
      const code = (cause && (cause.code || (cause.errors && cause.errors[0]?.code))) || undefined
      const message = String((cause && cause.message) || (e && e.message) || e)
      record({ event: 'fetch-error', url, code, message })
      throw e
    }
  }
  // install.js uses console.error for one thing: the stack trace of the error it exits with.
  // The parent quotes it where it cannot name the cause, so here it is recorded, not printed.
  console.error = (...args) => record({ event: 'console-error', text: util.format(...args) })
}
