import { S3Client } from '@aws-sdk/client-s3';

// The SDK warns on every start that its releases after January 2027 will need Node 22.
// The lockfile pins a release that supports Node 20, the runtime of these machines.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface S3Settings {
  AWS_ENDPOINT_URL_S3: string;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
}

/**
 * An S3 client for any S3-compatible server. Path-style addressing because local servers
 * and MinIO do not resolve `bucket.host` names. The SDK's default request checksums
 * (CRC32 on every PUT) are kept: the local server and MinIO both verify them.
 */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.AWS_ENDPOINT_URL_S3,
    region: settings.AWS_REGION,
    forcePathStyle: true,
    credentials: {
      accessKeyId: settings.AWS_ACCESS_KEY_ID,
      secretAccessKey: settings.AWS_SECRET_ACCESS_KEY,
    },
  });
}
