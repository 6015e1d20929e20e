import type { SimResponse } from '../common/server'

/**
 * Every failure the simulator can answer, table-driven because none of the access-token
 * statuses/classes are published: docs/protocols/qumulo.md §9 DESIGN "Make statuses/classes table-driven so
 * they can be corrected when a real cluster is seen". Rows cite where their values come from.
 */
export interface ErrorSpec {
  status: number
  errorClass: string
  description: string
}

export const ERROR_TABLE = {
  // docs/protocols/qumulo.md §9 DESIGN; class name seen in Qumulo's audit-log list (docs/protocols/qumulo.md §4 CODE).
  unauthorized: {
    status: 401,
    errorClass: 'http_unauthorized_error',
    description: 'Need to log in first to establish credentials.',
  },
  // docs/protocols/qumulo.md §9 DESIGN (class invented).
  badCredentials: {
    status: 401,
    errorClass: 'auth_invalid_credentials_error',
    description: 'Invalid username or password.',
  },
  // docs/protocols/qumulo.md §9 DESIGN, "unverified": a real cluster may answer 401; override with opts.errors.
  forbidden: {
    status: 403,
    errorClass: 'http_forbidden_error',
    description: 'The user does not have access to perform the management operation',
  },
  // docs/protocols/qumulo.md §9 DESIGN (class invented).
  tokenNotFound: {
    status: 404,
    errorClass: 'access_token_not_found_error',
    description: 'Access token not found.',
  },
  // docs/protocols/qumulo.md §9 DESIGN (class invented).
  identityNotFound: {
    status: 404,
    errorClass: 'identity_not_found_error',
    description: 'Identity not found.',
  },
  // docs/protocols/qumulo.md §9 DESIGN status/class; description is the documented text (docs/protocols/qumulo.md §3.4 DOC/SDK).
  groupNotSupported: {
    status: 400,
    errorClass: 'access_token_group_not_supported_error',
    description: 'Groups are not supported for access tokens, must be a user',
  },
  // docs/protocols/qumulo.md §9 DESIGN (class invented); the limit itself is docs/protocols/qumulo.md §3.4 DOC.
  tokenLimit: {
    status: 409,
    errorClass: 'access_token_limit_reached_error',
    description: 'A user may have at most two access tokens; delete one before creating another.',
  },
  // docs/protocols/qumulo.md §7 roles API: not-found statuses/classes unpublished; docs/protocols/qumulo.md §9 DESIGN family (invented).
  roleNotFound: {
    status: 404,
    errorClass: 'auth_role_not_found_error',
    description: 'Role not found.',
  },
  roleMemberNotFound: {
    status: 404,
    errorClass: 'auth_role_member_not_found_error',
    description: 'The identity is not a member of the role.',
  },
  // docs/protocols/qumulo.md §9 DESIGN status; class and description from the audit-log list (docs/protocols/qumulo.md §4 CODE).
  decode: {
    status: 400,
    errorClass: 'decode_error',
    description: 'Invalid json was passed to the API',
  },
  // docs/protocols/qumulo.md §9 DESIGN: bad time string, and (our extension) any other malformed field.
  invalidRequest: {
    status: 400,
    errorClass: 'rest_invalid_request_error',
    description: 'Invalid request.',
  },
  // docs/protocols/qumulo.md §1 SDK sends application/json always; what a cluster says to anything else is
  // unknown. docs/protocols/qumulo.md §9 DESIGN family: we pick 415 so a client that forgets the header fails.
  unsupportedMediaType: {
    status: 415,
    errorClass: 'http_unsupported_media_type_error',
    description: 'Request bodies must be application/json.',
  },
  // docs/protocols/qumulo.md §9 DESIGN family: unknown path / method (classes invented).
  routeNotFound: {
    status: 404,
    errorClass: 'http_not_found_error',
    description: 'No such API endpoint.',
  },
  methodNotAllowed: {
    status: 405,
    errorClass: 'http_method_not_allowed_error',
    description: 'Method not allowed on this endpoint.',
  },
} satisfies Record<string, ErrorSpec>

export type ErrorKey = keyof typeof ERROR_TABLE

/** docs/protocols/qumulo.md §1 INF: send exactly `application/json`; the 2019 SDK rejects anything else. */
export const JSON_HEADERS = { 'content-type': 'application/json' } as const

export function ok(body: unknown): SimResponse {
  return { status: 200, headers: { ...JSON_HEADERS }, body }
}

/** docs/protocols/qumulo.md §9 DESIGN: DELETE answers 200 with an empty body (`Content-Length: 0`). */
export function okEmpty(): SimResponse {
  return { status: 200, body: undefined }
}

/** Builds error replies in the docs/protocols/qumulo.md §4 envelope, honouring per-instance overrides. */
export class ErrorReplies {
  constructor(private readonly overrides: Partial<Record<ErrorKey, Partial<ErrorSpec>>> = {}) {}

  spec(key: ErrorKey): ErrorSpec {
    return { ...ERROR_TABLE[key], ...this.overrides[key] }
  }

  /** `detail` replaces the table's description (say which field was wrong); never put a secret in it. */
  reply(key: ErrorKey, detail?: string): SimResponse {
    const spec = this.spec(key)
    return {
      status: spec.status,
      headers: { ...JSON_HEADERS },
      // docs/protocols/qumulo.md §4: envelope {module, error_class, description, stack, user_visible[, inner]};
      // docs/protocols/qumulo.md §9 DESIGN: module "qinternal.rest", user_visible true.
      body: {
        module: 'qinternal.rest',
        error_class: spec.errorClass,
        description: detail ?? spec.description,
        stack: [],
        user_visible: true,
      },
    }
  }
}

/** Thrown inside handlers to answer with an error; the router turns it into a reply. */
export class QumuloHttpError extends Error {
  constructor(
    readonly key: ErrorKey,
    readonly detail?: string,
  ) {
    super(detail ?? key)
  }
}
