import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, parseS3Notification } from '../../../functions/shared/s3-notification';
import { s3EventBody } from './fixtures';

const awsPut = s3EventBody('aws-docs-object-created-put.json');
const motoPut = s3EventBody('moto-5.2.5-object-created-put.json');
const testEvent = s3EventBody('aws-docs-test-event.json');

/** The captured moto body with its first record changed by `edit`. */
function editedMotoBody(edit: (record: Record<string, unknown>) => void): string {
  const body = JSON.parse(motoPut) as { Records: Record<string, unknown>[] };
  edit(body.Records[0]!);
  return JSON.stringify(body);
}

function onlyNotice(body: string) {
  const parsed = parseS3Notification(body);
  if (parsed.kind !== 'objects-created') throw new Error(`parsed as ${parsed.kind}`);
  expect(parsed.notices).toHaveLength(1);
  return parsed.notices[0]!;
}

describe('parseS3Notification', () => {
  describe('on the ObjectCreated:Put example from the S3 documentation', () => {
    it('reads the bucket, key, version, ETag, size and time', () => {
      expect(onlyNotice(awsPut)).toMatchObject({
        bucket: 'mybucket',
        key: 'HappyFace.jpg',
        versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        size: 1024,
        eventTime: '1970-01-01T00:00:00.000Z',
      });
    });

    it('takes the uploader from userIdentity.principalId and requestParameters.sourceIPAddress', () => {
      expect(onlyNotice(awsPut)).toMatchObject({
        principalId: 'AIDAJDPLRKLG7UEXAMPLE',
        sourceIp: '127.0.0.1',
      });
    });
  });

  describe('on the body moto 5.2.5 sends', () => {
    it('decodes the form-encoded key exactly: + is a space, %2B a plus, %2F a slash, UTF-8 escapes', () => {
      expect(onlyNotice(motoPut).key).toBe('case 1/é+x.bin');
    });

    it('leaves versionId, principalId and sourceIp null instead of inventing them', () => {
      expect(onlyNotice(motoPut)).toMatchObject({
        bucket: 't1-evidence',
        versionId: null,
        eTag: '5d41402abc4b2a76b9719d911017c592',
        size: 5,
        principalId: null,
        sourceIp: null,
      });
    });
  });

  describe('when the eTag arrives in quotes', () => {
    it('strips them', () => {
      const body = editedMotoBody((r) => {
        (r.s3 as { object: { eTag: string } }).object.eTag = '"5d41402abc4b2a76b9719d911017c592"';
      });
      expect(onlyNotice(body).eTag).toBe('5d41402abc4b2a76b9719d911017c592');
    });
  });

  describe('on the s3:TestEvent S3 sends when the notification is configured', () => {
    it('recognises it as a test event', () => {
      expect(parseS3Notification(testEvent)).toEqual({ kind: 'test-event' });
    });
  });

  describe('when a record is an ObjectRemoved event', () => {
    it('ignores it and keeps the ObjectCreated records', () => {
      const body = JSON.parse(motoPut) as { Records: Record<string, unknown>[] };
      const removed = { ...body.Records[0]!, eventName: 'ObjectRemoved:Delete' };
      const parsed = parseS3Notification(
        JSON.stringify({ Records: [removed, body.Records[0], removed] }),
      );
      expect(parsed).toMatchObject({
        kind: 'objects-created',
        notices: [{ key: 'case 1/é+x.bin' }],
      });
    });

    it('yields no notices when every record is a removal', () => {
      const body = editedMotoBody((r) => (r.eventName = 'ObjectRemoved:DeleteMarkerCreated'));
      expect(parseS3Notification(body)).toEqual({
        kind: 'objects-created',
        notices: [],
        rejected: [],
        unusable: [],
      });
    });
  });

  describe('when the body is not a valid S3 event', () => {
    it.each([
      ['is not JSON', '{"Records":['],
      ['is JSON but not an object', '"s3:TestEvent"'],
      ['has neither Records nor Event', '{"Service":"Amazon S3"}'],
      [
        'is larger than an SQS message can be',
        motoPut.replace('"eventVersion"', `"padding":"${'x'.repeat(256 * 1024)}","eventVersion"`),
      ],
    ])('fails with INVALID_EVENT when it %s', (_case, body) => {
      expect(() => parseS3Notification(body)).toFailWithCode('INVALID_EVENT');
    });

    it('fails with INVALID_EVENT for more than 100 records', () => {
      const record = (JSON.parse(motoPut) as { Records: unknown[] }).Records[0];
      const body = JSON.stringify({ Records: Array.from({ length: 101 }, () => record) });
      expect(() => parseS3Notification(body)).toFailWithCode('INVALID_EVENT');
    });
  });

  describe('when one record names no object version', () => {
    it.each([
      ['names another event source', (r: Record<string, unknown>) => (r.eventSource = 'aws:sqs')],
      [
        'has no object key',
        (r: Record<string, unknown>) => delete (r.s3 as { object: { key?: string } }).object.key,
      ],
      [
        'has a key that is not valid URL encoding',
        (r: Record<string, unknown>) =>
          ((r.s3 as { object: { key: string } }).object.key = 'a%E9b'),
      ],
      [
        'has neither versionId nor eTag',
        (r: Record<string, unknown>) => delete (r.s3 as { object: { eTag?: string } }).object.eTag,
      ],
    ])('lists it as unusable when it %s, and keeps the other records', (_case, edit) => {
      const good = (JSON.parse(motoPut) as { Records: Record<string, unknown>[] }).Records[0]!;
      const bad = structuredClone(good);
      edit(bad);
      const parsed = parseS3Notification(JSON.stringify({ Records: [bad, good] }));
      expect(parsed).toMatchObject({
        kind: 'objects-created',
        notices: [{ key: 'case 1/é+x.bin' }],
        rejected: [],
      });
      expect(parsed.kind === 'objects-created' && parsed.unusable).toHaveLength(1);
    });
  });

  describe('at and past the storage schema’s bounds (UTF-8 bytes)', () => {
    const withVersion = (edit: (record: Record<string, unknown>) => void) =>
      editedMotoBody((r) => {
        (r.s3 as { object: { versionId: string } }).object.versionId = 'v1';
        edit(r);
      });
    const principal = (id: string) => withVersion((r) => (r.userIdentity = { principalId: id }));
    const sourceIp = (ip: string) =>
      withVersion((r) => (r.requestParameters = { sourceIPAddress: ip }));
    const key = (decoded: string) =>
      withVersion(
        (r) => ((r.s3 as { object: { key: string } }).object.key = encodeURIComponent(decoded)),
      );

    it.each([
      ['a principalId of 512 bytes', principal('p'.repeat(512))],
      ['a principalId of 512 bytes in two-byte characters', principal('é'.repeat(256))],
      ['a sourceIp of 45 characters', sourceIp('0000:0000:0000:0000:0000:ffff:255.255.255.255')],
      ['a key of 1024 bytes', key('é'.repeat(512))],
    ])('accepts %s', (_case, body) => {
      expect(onlyNotice(body).versionId).toBe('v1');
    });

    it.each([
      ['an empty principalId', principal('')],
      ['a principalId of 513 bytes', principal('p'.repeat(513))],
      ['a principalId of 513 bytes in fewer characters', principal(`${'é'.repeat(256)}p`)],
      ['an empty sourceIp', sourceIp('')],
      ['a sourceIp of 46 characters', sourceIp('0000:0000:0000:0000:0000:ffff:255.255.255.2555')],
      ['a key of 1025 bytes', key(`${'é'.repeat(512)}k`)],
      ['an eventTime that is not a time', withVersion((r) => (r.eventTime = 'yesterday'))],
      [
        'a negative object size',
        withVersion((r) => ((r.s3 as { object: { size: number } }).object.size = -1)),
      ],
    ])('rejects the record with %s, naming its version', (_case, body) => {
      const parsed = parseS3Notification(body);
      expect(parsed).toMatchObject({ kind: 'objects-created', notices: [], unusable: [] });
      expect(parsed.kind === 'objects-created' && parsed.rejected).toEqual([
        expect.objectContaining({
          bucket: 't1-evidence',
          versionId: 'v1',
          eTag: '5d41402abc4b2a76b9719d911017c592',
        }),
      ]);
    });
  });
});

describe('decodeS3EventKey', () => {
  it.each([
    ['red+flower.jpg', 'red flower.jpg'],
    ['a%2Bb', 'a+b'],
    ['dir%2Fsub%2Ffile', 'dir/sub/file'],
    ['%E6%97%A5%E6%9C%AC', '日本'],
    ['plain/key.txt', 'plain/key.txt'],
  ])('decodes %s to %s', (encoded, decoded) => {
    expect(decodeS3EventKey(encoded)).toBe(decoded);
  });
});
