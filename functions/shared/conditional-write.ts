import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** Runs a conditional DynamoDB write; false when its condition failed, so callers branch on it. */
export async function unlessConditionFails(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
