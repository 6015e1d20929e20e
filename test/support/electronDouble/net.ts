import { readFile, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type * as Electron from 'electron'

/**
 * net.fetch for the file: URLs the app protocol serves. Like Electron's, it rejects for a file
 * that is not there (net::ERR_FILE_NOT_FOUND) instead of answering 404. Folders are not
 * modelled (Chromium may list them), so asking for one is an error of the test.
 */
export const net = {
  async fetch(input: string | Request): Promise<Response> {
    const url = new URL(typeof input === 'string' ? input : input.url)
    if (url.protocol !== 'file:') throw new Error(`the double's net.fetch serves file: only`)
    const path = fileURLToPath(url)
    const found = await stat(path).catch(() => undefined)
    if (!found) throw new Error('net::ERR_FILE_NOT_FOUND')
    if (!found.isFile()) throw new Error(`the double's net.fetch does not serve folders: ${path}`)
    return new Response(await readFile(path), { status: 200 })
  },
} satisfies Pick<Electron.Net, 'fetch'>
