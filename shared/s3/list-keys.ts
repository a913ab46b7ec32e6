import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';

/** Every key under a prefix, all pages of the listing. */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];

  for await (const page of paginateListObjectsV2(
    { client: s3 },
    { Bucket: bucket, Prefix: prefix },
  )) {
    for (const object of page.Contents ?? []) {
      keys.push(object.Key as string);
    }
  }

  return keys;
}
