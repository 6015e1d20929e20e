/**
 * WEKA REST wire formats (docs/protocols/weka.md), as zod schemas. Every success body is the
 * envelope `{"data": …}` (docs/protocols/weka.md §0). Schemas keep only the fields the client reads and strip
 * the rest, so a newer release adding keys never breaks us; a missing or mistyped field we do
 * read is BAD_RESPONSE (via ClusterHttp's parseJson, which names the endpoint and never quotes
 * the body).
 */
import { z } from 'zod'
import { BearerToken } from '../tokenText'

/** The longest lifetime believed from a server (100 years): beyond it dates stop being dates. */
export const MAX_LIFETIME_SECONDS = 100 * 365 * 86_400

/** `{"data": <inner>}`, the envelope of every WEKA success reply (docs/protocols/weka.md §0, docs/protocols/weka.md §2.4 "Error envelope"). */
export const envelope = <T extends z.ZodType>(inner: T) => z.object({ data: inner })

/**
 * One login/refresh token set (docs/protocols/weka.md §2.2: `access_token`, `token_type: "Bearer"`,
 * `expires_in` seconds, `refresh_token`, `password_change_required`; the last is absent on 3.14).
 */
export const WekaTokens = z.object({
  /** A plausible token (tokenText.ts): no control characters, no megabytes. */
  access_token: BearerToken,
  /** Always "Bearer" on real clusters (docs/protocols/weka.md §2.2); the Terraform provider compares it lower-cased. */
  token_type: z
    .string()
    .refine((t) => t.toLowerCase() === 'bearer', 'token_type must be Bearer')
    .optional(),
  /**
   * Seconds. A lifetime beyond MAX_LIFETIME_SECONDS (100 years) is no lifetime any cluster
   * grants; it is read as that maximum, so every expiry computed from it stays a real date.
   */
  expires_in: z
    .number()
    .nonnegative()
    .transform((s) => Math.min(s, MAX_LIFETIME_SECONDS)),
  refresh_token: BearerToken,
  password_change_required: z.boolean().optional(),
})
export type WekaTokens = z.infer<typeof WekaTokens>

/**
 * The `data` of POST /login and /login/refresh: an object on every real cluster (docs/protocols/weka.md §2.2),
 * but the 4.x docs print a one-element array and the 3.14 spec declares one for refresh
 * (docs/protocols/weka.md §2.3, docs/protocols/weka.md §3). docs/protocols/weka.md [DESIGN]: accept both, taking the first element of an array.
 */
export const WekaTokensData = z
  .union([WekaTokens, z.array(WekaTokens).min(1)])
  .transform((d): WekaTokens => (Array.isArray(d) ? (d[0] as WekaTokens) : d))

export const LoginReply = envelope(WekaTokensData)

/**
 * GET /users/whoami `data` (docs/protocols/weka.md §4.3): `{org_id, username, uid, source, role, org_name}`;
 * `uid` is absent on 3.14, so it is optional.
 */
export const WhoamiData = z.object({
  username: z.string().min(1),
  uid: z.string().min(1).optional(),
  role: z.string().optional(),
  org_name: z.string().optional(),
  org_id: z.number().optional(),
  source: z.string().optional(),
})
export const WhoamiReply = envelope(WhoamiData)

/** GET /users `data` (docs/protocols/weka.md §4.4): a list of users; we need `uid` and `username`. */
export const UserListReply = envelope(
  z.array(
    z.object({
      uid: z.string().min(1),
      username: z.string(),
      role: z.string().optional(),
      org_id: z.number().optional(),
    }),
  ),
)

/** GET /cluster `data` (docs/protocols/weka.md §4.5): `name`, `guid`, `release` identify a cluster. */
export const ClusterReply = envelope(
  z.object({
    name: z.string().max(256),
    guid: z.string().max(256).optional(),
    release: z.string().max(256).optional(),
  }),
)

/**
 * A 4xx body as WEKA writes it (docs/protocols/weka.md §2.4): `{"data": "<text>"}` for 401/403 (incl. the
 * lockout text), `{"message": …}` for 404. Read only to tell a lockout from another 403.
 */
export const ErrorBody = z.object({ data: z.unknown().optional(), message: z.unknown().optional() })
