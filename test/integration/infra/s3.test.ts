import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { localEndpoints } from '../../../infra/endpoints.ts';
import { createS3Client } from '../../../shared/s3/client.ts';
import { uniqueName } from '../../helpers/unique.ts';

describe('the local S3 server', () => {
  const s3: S3Client = createS3Client(localEndpoints().s3);
  const bucket = uniqueName('smoke');

  afterAll(() => {
    s3.destroy();
  });

  it('creates a bucket, puts, gets, lists by prefix and deletes with the AWS SDK', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = 'natacion/día 1.json';
    const body = JSON.stringify({ tipo: 'Natación' });

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bici/2.json', Body: '{}' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'natacion/' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const afterDelete = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'natacion/' }),
    );

    expect(await got.Body?.transformToString()).toBe(body);
    expect(listed.Contents?.map((object) => object.Key)).toEqual([key]);
    expect(afterDelete.KeyCount).toBe(0);
  });

  it('verifies the request checksums the SDK sends by default', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: `${bucket}-sum` }));

    const put = await s3.send(
      new PutObjectCommand({ Bucket: `${bucket}-sum`, Key: 'a.json', Body: '{"a":1}' }),
    );
    const wrongChecksum = await s3
      .send(
        new PutObjectCommand({
          Bucket: `${bucket}-sum`,
          Key: 'b.json',
          Body: '{"b":2}',
          ChecksumCRC32: 'AAAAAA==',
        }),
      )
      .then(
        () => 'accepted',
        (error: { name: string }) => error.name,
      );
    const got = await s3.send(
      new GetObjectCommand({ Bucket: `${bucket}-sum`, Key: 'a.json', ChecksumMode: 'ENABLED' }),
    );

    expect(put.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    expect(wrongChecksum).toBe('BadDigest');
    expect(await got.Body?.transformToString()).toBe('{"a":1}');
  });
});
