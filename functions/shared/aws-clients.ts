/**
 * AWS SDK clients for the handlers and the local tooling. In Lambda every field is left
 * to the SDK's defaults (region, credentials and endpoints from the environment) and each
 * client is traced through the Powertools Tracer (X-Ray subsegments under the function's
 * active tracing); the tests and the demo pass the emulators' endpoints and no tracer.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';
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
  /** Traces every call of every client (in Lambda: functions/shared/tracer.ts). */
  readonly tracer?: Tracer;
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
  const traced = <C>(client: C): C =>
    options.tracer ? options.tracer.captureAWSv3Client(client) : client;
  // The document client shares the traced client's middleware: its calls are traced too.
  const dynamodb = traced(new DynamoDBClient({ ...common, ...at(options.endpoints?.dynamodb) }));
  return {
    s3: traced(
      new S3Client({
        ...common,
        ...at(options.endpoints?.s3),
        ...(options.forcePathStyle ? { forcePathStyle: true } : {}),
      }),
    ),
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: false, convertEmptyValues: false },
    }),
    sqs: traced(new SQSClient({ ...common, ...at(options.endpoints?.sqs) })),
    kms: traced(new KMSClient({ ...common, ...at(options.endpoints?.kms) })),
    lambda: traced(new LambdaClient(common)),
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
