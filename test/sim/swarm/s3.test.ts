import { Agent as HttpsAgent } from 'node:https'
import {
  HeadBucketCommand,
  ListBucketsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../common/clock'
import { startSwarmSim, type SwarmSim } from './index'
import { expectedSignature, parseAuthorization } from './s3/sigv4'
import { header, idFromBody, pw, swarmClient } from './testClient'
import { signListBuckets } from '../../../src/main/core/vendors/swarm/sigv4'

// The S3 front end checks x-amz-date against the simulator clock like S3 does (±15 min). These
// tests run the sim on a FakeClock started at real time, so the SDK signs with a date the sim
// accepts; the expiry test then jumps the clock and relies on the SDK's own skew correction
// (it reads the sim's Date header / ServerTime), as it would against a real skewed server.
let clock: FakeClock
let sim: SwarmSim
let client: ReturnType<typeof swarmClient>
let agent: HttpsAgent

beforeAll(async () => {
  clock = new FakeClock(Date.now())
  sim = await startSwarmSim({ clock })
  client = swarmClient(sim)
  agent = new HttpsAgent({ ca: sim.certificate, keepAlive: false })
})
afterAll(async () => {
  agent.destroy()
  await client.close()
  await sim.close()
})

function s3(accessKeyId: string, secretAccessKey: string): S3Client {
  return new S3Client({
    endpoint: sim.s3Url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
    maxAttempts: 2,
  })
}

async function s3Token(
  user: string,
  secret: string,
  domain = 'docs.acme.example',
): Promise<string> {
  const r = await client.call('POST', `/.TOKEN/?setcookie=false&domain=${domain}`, {
    basic: pw(sim, user),
    headers: { 'x-user-secret-key-meta': secret },
  })
  expect(r.status, r.text).toBe(201)
  return idFromBody(r.text)
}

async function s3Failure(p: Promise<unknown>): Promise<S3ServiceException> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(S3ServiceException)
  return err as S3ServiceException
}

const SECRET = 'Zx81AlphaNumericSecretOnlyLettersAndDigits0123456789abcdefghijkl'

describe('S3 front end with Swarm tokens', () => {
  it('ListBuckets works through the real AWS SDK with token id + S3 secret', async () => {
    const id = await s3Token('bob@docs.acme.example', SECRET)
    const out = await s3(id, SECRET).send(new ListBucketsCommand({}))
    expect(out.Buckets?.map((b) => b.Name)).toEqual(['reports', 'scans'])
    expect(out.Owner?.DisplayName).toBe('bob@docs.acme.example')
    expect(sim.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/',
      status: 200,
      user: 'bob@docs.acme.example',
    })
  })

  it('a tenant token sees the buckets of every domain of its tenant', async () => {
    const r = await client.call('POST', '/_admin/manage/tenants/acme/tokens', {
      basic: pw(sim, 'alice+acme'),
      headers: { 'x-user-secret-key-meta': SECRET },
    })
    const { token } = r.json<{ token: string }>()
    const out = await s3(token, SECRET).send(new ListBucketsCommand({}))
    expect(out.Buckets?.map((b) => b.Name)).toEqual(['reports', 'scans', 'video'])
  })

  it('HeadBucket: 200 for a bucket of the domain, 404 otherwise', async () => {
    const id = await s3Token('dave@files.globex.example', SECRET, 'files.globex.example')
    await expect(
      s3(id, SECRET).send(new HeadBucketCommand({ Bucket: 'archive' })),
    ).resolves.toBeDefined()
    const err = await s3Failure(s3(id, SECRET).send(new HeadBucketCommand({ Bucket: 'reports' })))
    expect(err.$metadata.httpStatusCode).toBe(404)
  })

  it('a wrong secret is SignatureDoesNotMatch (403)', async () => {
    const id = await s3Token('bob@docs.acme.example', SECRET)
    const err = await s3Failure(s3(id, `${SECRET}x`).send(new ListBucketsCommand({})))
    expect(err.name).toBe('SignatureDoesNotMatch')
    expect(err.$metadata.httpStatusCode).toBe(403)
  })

  it('an unknown key, and a session token without S3 secret, are InvalidAccessKeyId (403)', async () => {
    const unknown = await s3Failure(s3('f'.repeat(32), SECRET).send(new ListBucketsCommand({})))
    expect(unknown.name).toBe('InvalidAccessKeyId')
    expect(unknown.$metadata.httpStatusCode).toBe(403)
    const session = await client.call('POST', '/.TOKEN/?setcookie=false', {
      basic: pw(sim, 'alice+acme'),
    })
    const noSecret = await s3Failure(
      s3(idFromBody(session.text), SECRET).send(new ListBucketsCommand({})),
    )
    expect(noSecret.name).toBe('InvalidAccessKeyId')
  })

  it('an unsigned request is AccessDenied in S3 XML', async () => {
    const r = await client.call('GET', '/')
    expect(r.status).toBe(403)
    expect(header(r, 'content-type')).toBe('application/xml')
    expect(r.text).toMatch(/<Error><Code>AccessDenied<\/Code>/)
  })

  it('refuses a request whose host or x-amz-* headers are not all signed (they could be changed)', async () => {
    const id = await s3Token('bob@docs.acme.example', SECRET)
    const host = new URL(sim.s3Url).host
    const signedHeaders = () =>
      signListBuckets({
        accessKeyId: id,
        secretAccessKey: SECRET,
        host,
        path: '/',
        region: 'us-east-1',
        now: clock.now(),
      })
    // Control: the same signing, nothing added, is accepted.
    const ok = await client.call('GET', '/', { headers: signedHeaders() })
    expect(ok.status, ok.text).toBe(200)

    const extra = await client.call('GET', '/', {
      headers: { ...signedHeaders(), 'x-amz-meta-added-later': '1' },
    })
    expect(extra.status).toBe(403)
    expect(extra.text).toContain('<Code>AccessDenied</Code>')
    expect(extra.text).toContain('<HeadersNotSigned>x-amz-meta-added-later</HeadersNotSigned>')

    // A valid signature over everything but the host.
    const headers = signedHeaders()
    const amzDate = headers['x-amz-date']!
    const auth = parseAuthorization(
      `AWS4-HMAC-SHA256 Credential=${id}/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
    )!
    const signature = expectedSignature(
      {
        method: 'GET',
        path: '/',
        query: new URLSearchParams(),
        headers: { ...headers, host },
        payloadHash: headers['x-amz-content-sha256']!,
      },
      auth,
      amzDate,
      SECRET,
    )
    const noHost = await client.call('GET', '/', {
      headers: {
        ...headers,
        authorization: `AWS4-HMAC-SHA256 Credential=${id}/${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=x-amz-content-sha256;x-amz-date, Signature=${signature}`,
      },
    })
    expect(noHost.status).toBe(403)
    expect(noHost.text).toContain('<HeadersNotSigned>host</HeadersNotSigned>')
  })

  it('a request signed far from the sim clock is RequestTimeTooSkewed with ServerTime', async () => {
    const id = await s3Token('bob@docs.acme.example', SECRET)
    const r = await client.call('GET', '/', {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${id}/20200101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': '20200101T000000Z',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      },
    })
    expect(r.status).toBe(403)
    expect(r.text).toContain('<Code>RequestTimeTooSkewed</Code>')
    expect(r.text).toContain(`<ServerTime>${new Date(clock.now()).toISOString()}</ServerTime>`)
    expect(r.text).not.toContain(id)
  })

  it('an expired token is InvalidAccessKeyId; the SDK first corrects its clock from the sim', async () => {
    const id = await s3Token('bob@docs.acme.example', SECRET)
    const c = s3(id, SECRET)
    await expect(c.send(new ListBucketsCommand({}))).resolves.toBeDefined()
    clock.advance(25 * 3_600_000)
    const before = sim.requests.length
    const err = await s3Failure(c.send(new ListBucketsCommand({})))
    expect(err.name).toBe('InvalidAccessKeyId')
    // First try was skewed by 25 h, the retry carried the corrected date.
    expect(sim.requests.slice(before).map((r) => r.status)).toEqual([403, 403])
    clock.set(Date.now())
  })
})

describe('SigV4 verifier, known answer', () => {
  // The "GET Object" example of the AWS SigV4 documentation (Authenticating Requests: Using the
  // Authorization Header), with its published signature.
  it('reproduces the AWS documentation example signature', () => {
    const auth = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    )
    expect(auth).toBeDefined()
    const sig = expectedSignature(
      {
        method: 'GET',
        path: '/test.txt',
        query: new URLSearchParams(),
        headers: {
          host: 'examplebucket.s3.amazonaws.com',
          range: 'bytes=0-9',
          'x-amz-content-sha256':
            'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-amz-date': '20130524T000000Z',
        },
        payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      auth!,
      '20130524T000000Z',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    )
    expect(sig).toBe(auth!.signature)
  })
})
