import type { ErrorCode, ErrorInfo } from './model'

/**
 * The one error type the core throws for anything a user can meet. Its message is written for
 * the user and must never contain a secret: build it from what was asked, never from a
 * server's reply body or a token.
 */
export class TokendeckError extends Error {
  readonly code: ErrorCode
  readonly retryAt: number | undefined
  readonly seenSha256: string | undefined

  constructor(
    code: ErrorCode,
    message: string,
    extra: { retryAt?: number; seenSha256?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause })
    this.name = 'TokendeckError'
    this.code = code
    this.retryAt = extra.retryAt
    this.seenSha256 = extra.seenSha256
  }

  toInfo(): ErrorInfo {
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAt !== undefined ? { retryAt: this.retryAt } : {}),
      ...(this.seenSha256 !== undefined ? { seenSha256: this.seenSha256 } : {}),
    }
  }
}

export function isTokendeckError(e: unknown): e is TokendeckError {
  return e instanceof TokendeckError
}
