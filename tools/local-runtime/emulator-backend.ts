import type { AwsClientOptions } from '../../functions/shared/aws-clients';
import type { EmulatorEndpoints } from '../emulators/local-emulators';

/** Client settings for the local emulators: moto for S3/DynamoDB/SQS, LocalStack for KMS. */
export function emulatorClientOptions(endpoints: EmulatorEndpoints): AwsClientOptions {
  return {
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
    endpoints: {
      s3: endpoints.moto,
      dynamodb: endpoints.moto,
      sqs: endpoints.moto,
      kms: endpoints.kms,
    },
  };
}
