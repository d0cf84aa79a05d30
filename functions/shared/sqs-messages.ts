import { z } from 'zod';
import { LedgerError } from '../../core/errors';
import { parseJsonBody } from './json-body';

// Stage messages are written by our own functions, but anyone allowed to send to the
// queue could write one: validate before use.
const depositMessage = z.strictObject({ depositId: z.string().regex(/^[0-9a-f]{64}$/) });

export function parseDepositMessage(body: string): string {
  const parsed = depositMessage.safeParse(parseJsonBody(body, 'stage message'));
  if (!parsed.success)
    throw new LedgerError('INVALID_EVENT', 'stage message has no valid depositId');
  return parsed.data.depositId;
}

/** Whether a body is meant as a stage message rather than, say, an S3 notification (which has no depositId). */
export function isDepositMessage(body: string): boolean {
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null && 'depositId' in json;
  } catch {
    return false;
  }
}
