import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirLogSource } from '../../../cli/monitor/dir-log-source';
import { parseS3Url } from '../../../cli/monitor/s3-log-source';

describe('parseS3Url', () => {
  it('takes the bucket and the log prefix, which always ends in a slash', () => {
    expect(parseS3Url('s3://anchor-bucket/log/')).toEqual({
      bucket: 'anchor-bucket',
      prefix: 'log/',
    });
    expect(parseS3Url('s3://anchor-bucket/copies/log')).toEqual({
      bucket: 'anchor-bucket',
      prefix: 'copies/log/',
    });
    expect(parseS3Url('s3://anchor-bucket')).toEqual({ bucket: 'anchor-bucket', prefix: '' });
  });

  it('refuses what is not an s3:// URL of a valid bucket with INVALID_INPUT', () => {
    expect(() => parseS3Url('s3://A_B/log/')).toFailWithCode('INVALID_INPUT');
    expect(() => parseS3Url('https://anchor-bucket/log/')).toFailWithCode('INVALID_INPUT');
  });
});

describe('DirLogSource', () => {
  it('reads objects by their log path and answers null for a missing one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dir-log-source-'));
    try {
      await mkdir(join(root, 'tile', '0'), { recursive: true });
      await writeFile(join(root, 'tile', '0', '000.p'), 'not a directory');
      await writeFile(join(root, 'checkpoint'), 'note');
      const source = new DirLogSource(root);
      await source.requireDirectory();
      expect(await source.get('checkpoint')).toEqual(new TextEncoder().encode('note'));
      expect(await source.get('tile/0/001')).toBeNull();
      expect(await source.get('tile/0/000.p/5')).toBeNull();
      await expect(new DirLogSource(join(root, 'checkpoint')).requireDirectory()).toFailWithCode(
        'DEPENDENCY_UNAVAILABLE',
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
