import { generateKeyPair, randomBytes, sign, verify, type KeyObject } from 'node:crypto'

/**
 * RS256 JWTs shaped like WEKA's (docs/protocols/weka.md §6): header `{"alg":"RS256","itt":"BACKEND","typ":"JWT"}`,
 * numeric `iat`/`exp`, `itt` repeated in the claims and an object `sub`.
 * The key pair is throwaway (see processKeyPair) and never leaves the process.
 */
export interface JwtSigner {
  sign(claims: Record<string, unknown>): string
  /** The claims when the signature is ours and the structure is a JWT; undefined otherwise. */
  verify(token: string): Record<string, unknown> | undefined
}

const HEADER = { alg: 'RS256', itt: 'BACKEND', typ: 'JWT' }
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

/** A random id that keeps two tokens minted in the same second apart (see tokens.ts). */
export const tokenId = (): string => randomBytes(12).toString('base64url')

/**
 * RSA-2048 generation costs ~0.1–0.4 s, so one throwaway pair is made per process on first use
 * and shared by every simulator in it. It is never written anywhere; a token from one simulator
 * still fails at another, whose token store has never seen it (tokens.ts).
 */
let keyPair: Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | undefined
function processKeyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  keyPair ??= new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, pub, priv) =>
      err ? reject(err) : resolve({ privateKey: priv, publicKey: pub }),
    ),
  )
  return keyPair
}

export async function createJwtSigner(): Promise<JwtSigner> {
  const { privateKey, publicKey } = await processKeyPair()
  return {
    sign(claims) {
      const input = `${b64(HEADER)}.${b64(claims)}`
      const sig = sign('sha256', Buffer.from(input), privateKey).toString('base64url')
      return `${input}.${sig}`
    },
    verify(token) {
      const parts = token.split('.')
      if (parts.length !== 3) return undefined
      const [h, p, s] = parts as [string, string, string]
      try {
        const ok = verify(
          'sha256',
          Buffer.from(`${h}.${p}`),
          publicKey,
          Buffer.from(s, 'base64url'),
        )
        if (!ok) return undefined
        const claims: unknown = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'))
        return claims && typeof claims === 'object'
          ? (claims as Record<string, unknown>)
          : undefined
      } catch {
        return undefined
      }
    },
  }
}
