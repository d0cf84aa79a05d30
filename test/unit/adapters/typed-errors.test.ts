/**
 * The adapters' failures carry a code of the right layer: SDK exceptions mapped by name
 * (functions/shared/aws-errors.ts), unreadable stored items as storage-integrity errors
 * (stored-json.ts), and a deployment's missing or unusable settings as configuration errors.
 */
import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  errorLayer,
  isDependencyError,
  isLedgerError,
  LedgerError,
  type LedgerErrorCode,
} from '../../../core/errors';
import { parseLedgerRecord } from '../../../core/schemas';
import { GENESIS_HEAD } from '../../../core/types';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDepositStore } from '../../../functions/shared/dynamo-deposit-store';
import { DynamoLedgerStore } from '../../../functions/shared/dynamo-ledger-store';
import { awsCall, codeOfAwsError } from '../../../functions/shared/aws-errors';
import { unlessConditionFails } from '../../../functions/shared/conditional-write';
import { decodeVariable, requireVariables } from '../../../functions/shared/function-environment';
import { parseStoredJson } from '../../../functions/shared/stored-json';

/** An SDK-shaped failure: what the clients throw for a service error code. */
const sdkError = (name: string, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(`${name} from AWS`), { name, $fault: fault, $metadata: {} });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('AWS SDK failures', () => {
  it.each<[string, LedgerErrorCode]>([
    ['ThrottlingException', 'THROTTLED'],
    ['ProvisionedThroughputExceededException', 'THROTTLED'],
    ['SlowDown', 'THROTTLED'],
    ['InternalServerError', 'DEPENDENCY_UNAVAILABLE'],
    ['AccessDenied', 'ACCESS_DENIED'],
    ['AccessDeniedException', 'ACCESS_DENIED'],
    ['ResourceNotFoundException', 'CONFIG_INVALID'],
    ['DisabledException', 'KEY_UNAVAILABLE'],
    ['KMSInvalidStateException', 'KEY_UNAVAILABLE'],
  ])('maps %s to %s', (name, code) => {
    expect(codeOfAwsError(sdkError(name))).toBe(code);
  });

  it('maps any other server fault to DEPENDENCY_UNAVAILABLE', () => {
    expect(codeOfAwsError(sdkError('SomethingNew', 'server'))).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it.each([
    'NoSuchKey',
    'NotFound',
    'PreconditionFailed',
    'ConditionalCheckFailedException',
    'TransactionCanceledException',
  ])('leaves %s to the adapter that asked', async (name) => {
    const error = sdkError(name);
    await expect(awsCall('S3 GetObject', {}, () => Promise.reject(error))).rejects.toBe(error);
  });

  it("throws THROTTLED with the item's ids and the SDK error as cause, so SQS retries the message", async () => {
    const cause = new ProvisionedThroughputExceededException({
      message: 'slow down',
      $metadata: {},
    });
    const error: unknown = await awsCall('DynamoDB Query', { table: 'Ledger', fromSeq: 3 }, () =>
      Promise.reject(cause),
    ).catch((e: unknown) => e);
    expect(isLedgerError(error, 'THROTTLED')).toBe(true);
    expect(error).toMatchObject({
      details: { table: 'Ledger', fromSeq: 3, sdkError: 'ProvisionedThroughputExceededException' },
      cause,
    });
    expect(isDependencyError(error)).toBe(true);
  });

  it('keeps a failed condition a plain false, and types any other failure of a conditional write', async () => {
    const failed = new ConditionalCheckFailedException({ message: 'no', $metadata: {} });
    expect(await unlessConditionFails(() => Promise.reject(failed))).toBe(false);
    const error: unknown = await unlessConditionFails(
      () => Promise.reject(sdkError('ThrottlingException')),
      { table: 'T' },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'THROTTLED', details: { table: 'T' } });
  });
});

describe('the ledger and deposit stores', () => {
  // A client whose every call is throttled past the SDK's own retries.
  const throttled = {
    send: () => Promise.reject(sdkError('ProvisionedThroughputExceededException')),
  } as unknown as DynamoDBDocumentClient;
  const ledger = new DynamoLedgerStore(throttled, 'Ledger', 'Deposits');

  it.each<[string, () => Promise<unknown>]>([
    ['the head read', () => ledger.head()],
    ['the deposit marker read', () => ledger.find('d-1')],
    ['the append transaction', () => ledger.append(GENESIS_HEAD, [], GENESIS_HEAD, new Date())],
    ['the deposit read', () => new DynamoDepositStore(throttled, 'Deposits').get('d-1')],
  ])('type a throttled %s as THROTTLED, so SQS retries the message', async (_, call) => {
    await expect(call()).toFailWithCode('THROTTLED');
  });
});

describe('stored items', () => {
  it.each([
    ['not JSON', '{"seq":'],
    ['JSON the schema refuses', '{"seq":7}'],
    ['no JSON attribute at all', undefined],
  ])('a ledger record that is %s is RECORD_CORRUPT at its seq', (_why, json) => {
    const error = thrown(() =>
      parseStoredJson(json, parseLedgerRecord, {
        what: 'ledger record 7',
        code: 'RECORD_CORRUPT',
        details: { seq: 7 },
      }),
    );
    expect(error).toMatchObject({ code: 'RECORD_CORRUPT', details: { seq: 7 } });
    expect(errorLayer((error as LedgerError).code)).toBe('storage');
  });
});

describe('configuration', () => {
  it('a missing environment variable is CONFIG_MISSING naming the function and the variable', () => {
    const error = thrown(() => requireVariables('appender', {}, ['LEDGER_TABLE']));
    expect(error).toMatchObject({
      code: 'CONFIG_MISSING',
      details: { functionId: 'appender', name: 'LEDGER_TABLE' },
    });
    expect(errorLayer((error as LedgerError).code)).toBe('configuration');
  });

  it('a variable its decoder refuses is CONFIG_INVALID naming the variable', () => {
    const refuse = () => {
      throw new LedgerError('INVALID_INPUT', 'not canonical padded base64');
    };
    expect(thrown(() => decodeVariable('TSA_CERTIFICATE_PEM', 'x', refuse))).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { name: 'TSA_CERTIFICATE_PEM' },
    });
  });
});
