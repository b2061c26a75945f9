import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';
import { parseConfig } from '../config/load-config';
import { createBlobStore } from './create-blob-store';
import { createS3Client, S3BlobStore } from './s3-blob-store';
import { evidenceStorageSchema } from './storage-config';
import { BlobNotFoundError, BlobTooLargeError, MediaTypeRefusedError } from './storage-errors';
import * as sample from './testing/samples';

// s3rver is an S3-compatible server in this process: the real SDK, real HTTP, real signatures. It
// does not verify x-amz-checksum-sha256 (AWS S3 and MinIO do), so the tests check that it is sent.

const MiB = 1024 * 1024;
const BUCKET = 'nmirf-evidence-test';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What the SDK put on the wire, signed. */
interface SentRequest {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
}

describe('S3BlobStore against an S3-compatible server', () => {
  let server: S3rver;
  let serverDir: string;
  let spoolDir: string;
  let endpoint: string;
  let client: S3Client;
  let store: S3BlobStore;
  let requests: SentRequest[];

  const env = () => ({
    EVIDENCE_STORAGE: 's3',
    EVIDENCE_S3_BUCKET: BUCKET,
    EVIDENCE_S3_ENDPOINT: endpoint,
    EVIDENCE_S3_FORCE_PATH_STYLE: 'true',
    EVIDENCE_S3_ACCESS_KEY_ID: 'S3RVER',
    EVIDENCE_S3_SECRET_ACCESS_KEY: 'S3RVER',
    EVIDENCE_S3_PREFIX: 'evidence/',
    EVIDENCE_SPOOL_DIR: spoolDir,
  });

  const objectKeys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? [])
      .map((o) => o.Key)
      .sort();

  const sent = (method: string) => requests.filter((request) => request.method === method);

  beforeAll(async () => {
    serverDir = mkdtempSync(join(tmpdir(), 's3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: serverDir,
      configureBuckets: [{ name: BUCKET, configs: [] }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server?.close();
    rmSync(serverDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    spoolDir = mkdtempSync(join(tmpdir(), 'evidence-spool-'));
    const config = parseConfig(evidenceStorageSchema, env());
    client = createS3Client(config);
    requests = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        requests.push(args.request as SentRequest);
        return next(args);
      },
      { step: 'deserialize', name: 'recordRequests' },
    );
    store = new S3BlobStore(client, { bucket: BUCKET, prefix: 'evidence/', spoolDir });
  });

  afterEach(async () => {
    rmSync(spoolDir, { recursive: true, force: true });
    for (const Key of await objectKeys()) await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }));
  });

  it('stores a file as one object under its digest, with its type and the digest for the server to check', async () => {
    const bytes = Buffer.concat([sample.pdf(), Buffer.alloc(3 * MiB, 0x20)]);
    const digest = sha256(bytes);
    const stored = await store.put(Readable.from(chunks(bytes, 64 * 1024)), { maxBytes: 25 * MiB });
    expect(stored).toEqual({ sha256: digest, size: bytes.length, mediaType: 'application/pdf' });

    const key = `evidence/${digest.slice(0, 2)}/${digest}`;
    expect(await objectKeys()).toEqual([key]);
    const [put] = sent('PUT');
    expect(sent('PUT')).toHaveLength(1);
    // Path-style (EVIDENCE_S3_FORCE_PATH_STYLE): the bucket in the path, not the host name.
    expect(put.hostname).toBe('127.0.0.1');
    expect(put.path).toBe(`/${BUCKET}/${key}`);
    expect(put.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(bytes.length),
      'x-amz-checksum-sha256': Buffer.from(digest, 'hex').toString('base64'),
    });
    expect(put.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=S3RVER\//);

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head).toMatchObject({ ContentType: 'application/pdf', ContentLength: bytes.length });
    expect(sha256(await buffer(await store.get(digest)))).toBe(digest);
    expect(await store.has(digest)).toBe(true);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('does not send content the bucket already has', async () => {
    const docx = await sample.office('docx');
    const first = await store.put(Readable.from([docx]), { maxBytes: MiB });
    const second = await store.put(Readable.from(chunks(docx, 100)), { maxBytes: MiB });
    expect(second).toEqual(first);
    expect(first.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sent('PUT')).toHaveLength(1);
    expect(sent('HEAD')).toHaveLength(2);
    expect(await objectKeys()).toHaveLength(1);
  });

  it('sends nothing past maxBytes, for a refused type, or when the source fails', async () => {
    const big = Buffer.concat([sample.pdf(), Buffer.alloc(2 * MiB, 0x20)]);
    await expect(store.put(Readable.from(chunks(big, 64 * 1024)), { maxBytes: MiB })).rejects.toBeInstanceOf(
      BlobTooLargeError,
    );
    await expect(store.put(Readable.from([sample.elfProgram()]), { maxBytes: MiB })).rejects.toBeInstanceOf(
      MediaTypeRefusedError,
    );
    async function* dropped() {
      yield sample.pdf();
      throw new Error('socket hang up');
    }
    await expect(store.put(Readable.from(dropped()), { maxBytes: MiB })).rejects.toThrow('socket hang up');
    expect(requests).toEqual([]);
    expect(await objectKeys()).toEqual([]);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('answers not found for a missing object, and sends nothing for a malformed digest', async () => {
    const missing = sha256(Buffer.from('never stored'));
    await expect(store.get(missing)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.has(missing)).toBe(false);
    expect(requests.map((request) => request.method)).toEqual(['GET', 'HEAD']);
    await expect(store.get('../../other-bucket/key')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.has('../../other-bucket/key')).toBe(false);
    expect(requests).toHaveLength(2);
  });

  it('fails loudly when the bucket does not exist', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); // the SDK's own note
    const wrong = new S3BlobStore(client, { bucket: 'no-such-bucket', prefix: '', spoolDir });
    await expect(wrong.put(Readable.from([sample.png()]), { maxBytes: MiB })).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
    await expect(wrong.get(sha256(sample.png()))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(readdirSync(spoolDir)).toEqual([]);
    warn.mockRestore();
  });

  it('is what createBlobStore builds from EVIDENCE_STORAGE=s3', async () => {
    const configured = await createBlobStore(parseConfig(evidenceStorageSchema, env()));
    expect(configured).toBeInstanceOf(S3BlobStore);
    const csv = Buffer.from('indicator,value\nShelters,12\n');
    const stored = await configured.put(Readable.from([csv]), { maxBytes: MiB });
    expect(stored.mediaType).toBe('text/plain');
    expect(await objectKeys()).toEqual([`evidence/${stored.sha256.slice(0, 2)}/${stored.sha256}`]);
    expect((await buffer(await configured.get(stored.sha256))).equals(csv)).toBe(true);
  });
});

function* chunks(bytes: Buffer, size: number) {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}
