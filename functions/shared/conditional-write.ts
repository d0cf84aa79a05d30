import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { LedgerErrorDetails } from '../../core/errors';
import { typedAwsError } from './aws-errors';

/**
 * Runs a conditional DynamoDB write; false when its condition failed, so callers branch on it.
 * Any other SDK failure is typed (aws-errors.ts), with `details` naming the item.
 */
export async function unlessConditionFails(
  write: () => Promise<unknown>,
  details: LedgerErrorDetails = {},
): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw typedAwsError(error, 'DynamoDB conditional write', details);
  }
}
