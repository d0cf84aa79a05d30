/**
 * AWS SDK clients for the handlers and the local tooling. In Lambda every field is left
 * to the SDK's defaults (region, credentials and endpoints from the environment); the
 * tests and the demo pass the emulators' endpoints.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface AwsEndpoints {
  readonly s3?: string;
  readonly dynamodb?: string;
  readonly sqs?: string;
  readonly kms?: string;
}

export interface AwsClientOptions {
  readonly region?: string;
  readonly endpoints?: AwsEndpoints;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Emulators serve buckets by path, not by virtual host. */
  readonly forcePathStyle?: boolean;
}

export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly kms: KMSClient;
  /** The anchor invokes the parties' co-signers. */
  readonly lambda: LambdaClient;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const common = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const at = (endpoint: string | undefined) => (endpoint ? { endpoint } : {});
  const dynamodb = new DynamoDBClient({ ...common, ...at(options.endpoints?.dynamodb) });
  return {
    s3: new S3Client({
      ...common,
      ...at(options.endpoints?.s3),
      ...(options.forcePathStyle ? { forcePathStyle: true } : {}),
    }),
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: false, convertEmptyValues: false },
    }),
    sqs: new SQSClient({ ...common, ...at(options.endpoints?.sqs) }),
    kms: new KMSClient({ ...common, ...at(options.endpoints?.kms) }),
    lambda: new LambdaClient(common),
  };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.s3.destroy();
  clients.documents.destroy();
  clients.dynamodb.destroy();
  clients.sqs.destroy();
  clients.kms.destroy();
  clients.lambda.destroy();
}
